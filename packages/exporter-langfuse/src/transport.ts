import { LANGFUSE_SDK_VERSION } from "@langfuse/core";
import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import {
  createHttpTransport,
  DEFAULT_RETRY_POLICY,
  type KillSwitch,
  type RetryPolicy,
  sendWithRetry,
} from "@pipelex/telemetry-core/plugin";
import type { LangfuseConnection } from "./credentials.js";

/** Langfuse's OpenTelemetry ingestion path under the base URL. */
export const LANGFUSE_OTEL_TRACES_PATH = "/api/public/otel/v1/traces";

/**
 * What Langfuse's ingestion gets retried on: OpenTelemetry's policy (the SDK's own exporter is
 * the OTLP/HTTP one): 429, 502, 503, 504, plus every failure to get a proper answer (refused,
 * reset, DNS, timeout, half a body, a reply that is not HTTP, which the SDK's exporter does not
 * retry). 1 + 5 attempts, 1 s x1.5 capped at 5 s, ±20 % jitter, `Retry-After` first.
 */
export const LANGFUSE_RETRY_POLICY: RetryPolicy = {
  ...DEFAULT_RETRY_POLICY,
  retryableStatuses: [429, 502, 503, 504],
};

export interface LangfuseTransportOptions {
  /** Bound for one request (the SDK's default: 5 s). */
  readonly requestTimeoutMs: number;
  /** Bound for one export, retries and waits included. */
  readonly exportBudgetMs: number;
  readonly shutdownSignal?: AbortSignal | undefined;
  readonly killSwitch?: KillSwitch | undefined;
  /** Core's `context.fetch` (the CLI preview's capture), else globalThis.fetch. */
  readonly fetch?: typeof fetch | undefined;
}

/** The exporter handed to the SDK, and the real outcome of what it was given. */
export interface LangfuseDelivery {
  readonly exporter: SpanExporter;
  /** Resolves once every request handed over so far has settled: SUCCESS only if all were delivered. */
  settled(): Promise<ExportResult>;
}

/**
 * The SpanExporter handed to LangfuseSpanProcessor as its `exporter` (the option the SDK offers
 * for this). It answers the SDK's batch processor at once and delivers on its own, reporting the
 * outcome through `settled()`: the processor's export timer (30 s, not `unref()`'d by
 * OpenTelemetry) is then never left running while a request waits, so it cannot keep the
 * process alive. The request is the same request its default OTLPTraceExporter would make (URL, Basic auth,
 * `x-langfuse-*` headers, OTLP JSON from OpenTelemetry's serializer), sent with core's delivery
 * toolkit so that Langfuse gets every guarantee the other destinations have: a garbage reply is
 * retried, retry waits are unref'd and cancelled by shutdown and the kill switch (any route), an
 * in-flight request is aborted by them, and failures name the cause and the host.
 */
export function createLangfuseExporter(
  connection: LangfuseConnection,
  options: LangfuseTransportOptions,
): LangfuseDelivery {
  const token = basicAuthToken(connection.publicKey, connection.secretKey);
  const transport = createHttpTransport({
    url: `${connection.baseUrl}${LANGFUSE_OTEL_TRACES_PATH}`,
    headers: {
      Authorization: `Basic ${token}`,
      "Content-Type": "application/json",
      "x-langfuse-sdk-name": "javascript",
      "x-langfuse-sdk-version": LANGFUSE_SDK_VERSION,
      "x-langfuse-public-key": connection.publicKey,
    },
    timeoutMs: options.requestTimeoutMs,
    shutdownSignal: options.shutdownSignal,
    killSwitch: options.killSwitch,
    fetch: options.fetch,
  });
  const send = async (spans: ReadableSpan[]): Promise<ExportResult> => {
    try {
      const body = JsonTraceSerializer.serializeRequest(spans) ?? new Uint8Array();
      const result = await sendWithRetry(transport, body, {
        policy: LANGFUSE_RETRY_POLICY,
        deadline: Date.now() + options.exportBudgetMs,
        signal: options.shutdownSignal,
        killSwitch: options.killSwitch,
      });
      return result.ok
        ? { code: ExportResultCode.SUCCESS }
        : { code: ExportResultCode.FAILED, error: result.error };
    } catch (error) {
      return {
        code: ExportResultCode.FAILED,
        error: error instanceof Error ? error : new Error(String(error)),
      };
    }
  };
  let pending: Promise<ExportResult>[] = [];
  return {
    exporter: {
      export(spans, resultCallback) {
        pending.push(send(spans));
        resultCallback({ code: ExportResultCode.SUCCESS });
      },
      async shutdown() {
        // Nothing to release: fetch keeps no socket of ours once a request settles.
      },
    },
    async settled() {
      const taken = pending;
      pending = [];
      const results = await Promise.all(taken);
      return results.find((r) => r.code !== ExportResultCode.SUCCESS) ?? { code: ExportResultCode.SUCCESS };
    },
  };
}

/** Basic auth value Langfuse expects, computed like the SDK does (UTF-8, then base64). */
export function basicAuthToken(publicKey: string, secretKey: string): string {
  const bytes = new TextEncoder().encode(`${publicKey}:${secretKey}`);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
