import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import {
  createHttpTransport,
  type ExporterContext,
  type HttpTransport,
  sendWithRetry,
} from "@pipelex/telemetry-core/plugin";
import type { ResolvedOtlpConfig } from "./config.js";
import { RETRY_POLICY } from "./transport/retry-policy.js";
import { serializeSpans } from "./transport/serialize.js";
import { EXPORTER_PACKAGE_NAME, EXPORTER_VERSION } from "./version.js";

export type OtlpExporterContext = Pick<ExporterContext, "logger" | "shutdownSignal"> &
  Partial<Pick<ExporterContext, "killSwitch" | "fetch">>;

/**
 * An OTLP/HTTP span exporter: the official `@opentelemetry/otlp-transformer` serializers
 * (protobuf in slices, so the event loop is never blocked for long), sent with the delivery
 * toolkit of `@pipelex/telemetry-core/plugin` (per-request timeout, no redirects, aborted by
 * shutdown and the kill switch, tracing suppressed) and retried with OpenTelemetry's policy
 * within the export timeout. After `shutdown()`, `export()` fails at once and sends nothing.
 */
export class OtlpSpanExporter implements SpanExporter {
  private readonly transport: HttpTransport;
  private readonly pending = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(
    readonly config: ResolvedOtlpConfig,
    private readonly context: OtlpExporterContext,
    private readonly random: () => number = Math.random,
  ) {
    this.transport = createHttpTransport({
      url: config.url,
      headers: {
        ...config.headers,
        "Content-Type": config.protocol === "http/json" ? "application/json" : "application/x-protobuf",
        "User-Agent": `${EXPORTER_PACKAGE_NAME}/${EXPORTER_VERSION}`,
      },
      compression: config.compression,
      timeoutMs: config.timeoutMillis,
      shutdownSignal: context.shutdownSignal,
      killSwitch: context.killSwitch,
      fetch: context.fetch,
    });
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.stopped) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error("the OTLP exporter is shut down") });
      return;
    }
    const work = this.send(spans).then(resultCallback);
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  private async send(spans: readonly ReadableSpan[]): Promise<ExportResult> {
    try {
      // The export timeout bounds serialization, every attempt and every wait between them.
      const deadline = Date.now() + this.config.timeoutMillis;
      const body = await serializeSpans(spans, this.config.protocol);
      const result = await sendWithRetry(this.transport, body, {
        policy: RETRY_POLICY,
        deadline,
        signal: this.context.shutdownSignal,
        killSwitch: this.context.killSwitch,
        random: this.random,
        onRetry: ({ retry, waitMs, error }) =>
          this.context.logger.debug(
            `OTLP export will be retried (retry ${retry}) in ${Math.round(waitMs)} ms: ${error.message}`,
          ),
      });
      if (result.ok) return { code: ExportResultCode.SUCCESS };
      return { code: ExportResultCode.FAILED, error: result.error };
    } catch (error) {
      return {
        code: ExportResultCode.FAILED,
        error: error instanceof Error ? error : new Error(String(error)),
      };
    }
  }

  /** Waits for the exports in flight (each is bounded by the export timeout). */
  async forceFlush(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    // Waits for in-flight exports; telemetry aborts them through the shutdown signal at its deadline.
    await this.forceFlush();
  }
}
