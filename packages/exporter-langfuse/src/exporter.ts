import { LangfuseSpanProcessor } from "@langfuse/otel";
import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import type { KillSwitch } from "@pipelex/telemetry-core/plugin";
import type { LangfuseConnection } from "./credentials.js";
import { describeExportError } from "./export-error.js";
import { type LangfuseTraceFields, toLangfuseSpan } from "./mapping.js";
import { createSdkLoggerBridge, type LeveledLogger, useSdkLogger, withSdkLogger } from "./sdk-logger.js";
import { createLangfuseExporter, type LangfuseDelivery } from "./transport.js";

const SILENT: LeveledLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  isLevelEnabled: () => false,
};

/** Spans per request when `flushAt` is not set: the Langfuse SDK's (and OpenTelemetry's) default. */
export const DEFAULT_SPANS_PER_REQUEST = 512;
/**
 * The SDK's batch processor holds at most 2048 spans (OpenTelemetry's default queue, which
 * LangfuseSpanProcessor does not let us change) and flushes on its own once `flushAt` are
 * buffered; we hand it at most one less than its `flushAt`, so only our forceFlush sends.
 */
const MAX_SPANS_PER_REQUEST = 2047;
/** Langfuse SDK default (5 s): per request. */
const REQUEST_TIMEOUT_MS = 5000;
/**
 * One request's retries and waits, within OpenTelemetry's BatchSpanProcessor export timeout
 * (30 s, which the SDK's processor applies) and core's.
 */
const EXPORT_BUDGET_MS = 12_000;
/** The SDK's own flush timer must never fire before our forceFlush does (it is cleared by it). */
const SDK_FLUSH_INTERVAL_SECONDS = 3600;

export interface LangfuseExporterConfig {
  readonly connection: LangfuseConnection;
  readonly trace: LangfuseTraceFields;
  /** Spans per HTTP request. */
  readonly spansPerRequest?: number | undefined;
  readonly killSwitch?: KillSwitch | undefined;
  /** Aborted by core when shutdown runs out of time: nothing more is handed to the SDK. */
  readonly shutdownSignal?: AbortSignal | undefined;
  /** Core's `context.fetch` (the CLI preview's capture), else globalThis.fetch. */
  readonly fetch?: typeof fetch | undefined;
  /**
   * Where the Langfuse SDK's own log lines go (the destination's masking logger). Without one
   * they are dropped: the SDK never writes to the console on its own, whatever LANGFUSE_* says.
   */
  readonly logger?: LeveledLogger | undefined;
}

/**
 * An OpenTelemetry SpanExporter on top of `@langfuse/otel`'s LangfuseSpanProcessor.
 *
 * Core already queues, batches and redacts per destination, so the processor is used as
 * Langfuse's transport: each `export(spans)` hands copies of the spans to the processor's
 * `onEnd`, awaits its `forceFlush()` (which hands them to the toolkit exporter as one request)
 * and then that request's outcome: SUCCESS only once Langfuse answered 2xx, FAILED when it did
 * not (401, 4xx, retries exhausted), so core counts the rest as `exportFailed`. Exports are
 * serialized, so one call's flush never carries (or reports on) another call's spans.
 */
export class LangfuseExporter implements SpanExporter {
  private readonly processor: LangfuseSpanProcessor;
  private readonly delivery: LangfuseDelivery;
  private readonly spansPerRequest: number;
  private tail: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private shutdownPromise: Promise<void> | undefined;

  constructor(private readonly config: LangfuseExporterConfig) {
    this.spansPerRequest = Math.min(
      Math.max(1, Math.floor(config.spansPerRequest ?? DEFAULT_SPANS_PER_REQUEST)),
      MAX_SPANS_PER_REQUEST,
    );
    const { baseUrl, publicKey, secretKey } = config.connection;
    this.delivery = createLangfuseExporter(config.connection, {
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      exportBudgetMs: EXPORT_BUDGET_MS,
      shutdownSignal: config.shutdownSignal,
      killSwitch: config.killSwitch,
      fetch: config.fetch,
    });
    // Every setting is explicit, so the SDK never falls back to LANGFUSE_* in process.env:
    // the telemetry environment was already consulted.
    // The SDK logs through its global logger (LANGFUSE_DEBUG prints every span, prompts
    // included); this processor logs through ours instead, at the user's level.
    const sdkLogger = createSdkLoggerBridge(config.logger ?? SILENT);
    this.processor = withSdkLogger(
      sdkLogger,
      () =>
        new LangfuseSpanProcessor({
          // The SDK's own transport is replaced through its `exporter` option (see transport.ts).
          exporter: this.delivery.exporter,
          publicKey,
          secretKey,
          baseUrl,
          // Pipe spans carry no gen_ai.* key; the SDK's default filter would drop them.
          shouldExportSpan: () => true,
          exportMode: "batched",
          flushAt: this.spansPerRequest + 1,
          flushInterval: SDK_FLUSH_INTERVAL_SECONDS,
          // Used by the SDK only for a transport it builds itself; ours gets the same value.
          timeout: REQUEST_TIMEOUT_MS / 1000,
          // Media upload sends to other endpoints outside this export's result and rewrites content.
          mediaUploadEnabled: false,
          environment: config.trace.environment,
          release: config.trace.release,
          // No `mask`: core redacts per destination (copy-on-write) before export() is called.
        }),
    );
    useSdkLogger(this.processor, sdkLogger);
    // Core aborts it when shutdown runs out of time and when the kill switch engages.
    config.shutdownSignal?.addEventListener("abort", () => this.abort(), { once: true });
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const run = this.tail.then(() => this.deliver(spans));
    this.tail = run;
    void run.then((result) => {
      try {
        resultCallback(result);
      } catch {
        // A throwing callback must not become an unhandled rejection in the host app.
      }
    });
  }

  async forceFlush(): Promise<void> {
    await this.tail;
    if (!this.stopped) await this.processor.forceFlush();
  }

  shutdown(): Promise<void> {
    this.shutdownPromise ??= (async () => {
      this.stopped = true;
      await this.tail;
      await this.processor.shutdown();
    })();
    return this.shutdownPromise;
  }

  /** Nothing more is handed to the SDK; the toolkit aborts the request in flight and its retries. */
  private abort(): void {
    this.stopped = true;
  }

  /** Never rejects: every outcome is an ExportResult. */
  private async deliver(spans: ReadableSpan[]): Promise<ExportResult> {
    if (this.stopped) return failed("the Langfuse exporter is shut down");
    if (this.config.killSwitch?.isEngaged()) return failed("telemetry is disabled (kill switch)");
    try {
      for (let start = 0; start < spans.length; start += this.spansPerRequest) {
        if (this.stopped) return failed("the Langfuse exporter was shut down during the export");
        for (const span of spans.slice(start, start + this.spansPerRequest)) {
          this.processor.onEnd(toLangfuseSpan(span, this.config.trace));
        }
        await this.processor.forceFlush();
        // The SDK handed the request over; its real outcome comes from the toolkit.
        const outcome = await this.delivery.settled();
        if (outcome.code !== ExportResultCode.SUCCESS) {
          return { code: ExportResultCode.FAILED, error: describeExportError(outcome.error) };
        }
      }
      return { code: ExportResultCode.SUCCESS };
    } catch (error) {
      return { code: ExportResultCode.FAILED, error: describeExportError(error) };
    }
  }
}

function failed(message: string): ExportResult {
  return { code: ExportResultCode.FAILED, error: new Error(message) };
}
