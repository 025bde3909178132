import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import {
  createHttpTransport,
  DEFAULT_RETRY_POLICY,
  type ExporterContext,
  type HttpTransport,
  sendWithRetry,
  toTelemetrySpan,
} from "@pipelex/telemetry-core/plugin";
import type { ParsedWebhookOptions } from "./options.js";

/** Statuses worth another attempt (documented in the README). */
export const RETRYABLE_STATUSES = [429, 502, 503, 504] as const;

/**
 * POSTs each batch as `{ "spans": [TelemetrySpan, ...] }`. Delivery is core's toolkit: fetch
 * through `context.fetch` (so `pipelex-telemetry preview` captures it), a timeout per request,
 * aborted by shutdown and the kill switch, no redirects, retries with backoff within the export.
 */
export class WebhookExporter implements SpanExporter {
  private readonly transport: HttpTransport;
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly options: ParsedWebhookOptions,
    private readonly context: ExporterContext,
  ) {
    this.transport = createHttpTransport({
      url: options.endpoint,
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${options.authToken}` },
      timeoutMs: options.timeoutMs,
      shutdownSignal: context.shutdownSignal,
      killSwitch: context.killSwitch,
      fetch: context.fetch,
    });
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    if (this.stopped) {
      done({ code: ExportResultCode.FAILED, error: new Error("the webhook exporter is shut down") });
      return;
    }
    const body = JSON.stringify({ spans: spans.map(toTelemetrySpan) });
    const sending = sendWithRetry(this.transport, body, {
      policy: { ...DEFAULT_RETRY_POLICY, retryableStatuses: RETRYABLE_STATUSES },
      deadline: Date.now() + this.options.timeoutMs * 3,
      signal: this.context.shutdownSignal,
      killSwitch: this.context.killSwitch,
    }).then((result) => {
      if (result.ok) return done({ code: ExportResultCode.SUCCESS });
      // The error names the host and the cause, never the token or the path.
      this.context.logger.warn(`webhook export failed: ${result.error.message}`);
      done({ code: ExportResultCode.FAILED, error: result.error });
    });
    this.inFlight.add(sending);
    void sending.finally(() => this.inFlight.delete(sending));
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.inFlight);
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    await this.forceFlush();
  }
}
