import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import {
  createOtlpNetworkExportDelegate,
  ExporterMetrics,
  type IOtlpExportDelegate,
} from "@opentelemetry/otlp-exporter-base";
import {
  JsonTraceSerializer,
  ProtobufTraceSerializer,
  TraceExporterMetricsHelper,
} from "@opentelemetry/otlp-transformer";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import type { ExporterContext } from "@pipelex/telemetry-core/plugin";
import { displayUrl, type ResolvedOtlpConfig } from "./config.js";
import { createFetchTransport } from "./transport/fetch-transport.js";
import { createRetryingTransport } from "./transport/retrying-transport.js";
import { EXPORTER_PACKAGE_NAME, EXPORTER_VERSION } from "./version.js";

/** Concurrent export requests per destination, as the official exporters default to. */
const CONCURRENCY_LIMIT = 30;
/** `otel.component.type` of the official OTLP/HTTP span exporter, for its self-metrics helper. */
const COMPONENT_TYPE = "otlp_http_span_exporter";

/**
 * An OTLP/HTTP span exporter assembled from the official parts the OpenTelemetry
 * `OTLPTraceExporter`s are made of — the export delegate of `@opentelemetry/otlp-exporter-base`
 * and the protobuf/JSON trace serializers of `@opentelemetry/otlp-transformer` 0.223.1 — with a
 * fetch transport that honours telemetry's shutdown signal and never holds the process open.
 * After `shutdown()`, `export()` fails at once and sends nothing.
 */
export class OtlpSpanExporter implements SpanExporter {
  private readonly delegate: IOtlpExportDelegate<ReadableSpan[]>;
  private stopped = false;

  constructor(
    readonly config: ResolvedOtlpConfig,
    context: Pick<ExporterContext, "logger" | "shutdownSignal">,
    random: () => number = Math.random,
  ) {
    const logger = context.logger;
    const where = displayUrl(config.url);
    const transport = createRetryingTransport(
      createFetchTransport({
        url: config.url,
        headers: config.headers,
        contentType: config.protocol === "http/json" ? "application/json" : "application/x-protobuf",
        compression: config.compression,
        userAgent: `${EXPORTER_PACKAGE_NAME}/${EXPORTER_VERSION}`,
        signal: context.shutdownSignal,
      }),
      {
        signal: context.shutdownSignal,
        random,
        onRetry: (retry, waitMs, response) =>
          logger.debug(
            `OTLP export to ${where} will be retried (retry ${retry}) in ${Math.round(waitMs)} ms: ${
              response.status === "retryable" && response.error ? response.error.message : "retryable answer"
            }`,
          ),
      },
    );
    const serializer = config.protocol === "http/json" ? JsonTraceSerializer : ProtobufTraceSerializer;
    this.delegate = createOtlpNetworkExportDelegate(
      {
        timeoutMillis: config.timeoutMillis,
        concurrencyLimit: CONCURRENCY_LIMIT,
        compression: config.compression,
      },
      serializer,
      // No MeterProvider: the exporter's self-metrics go to a no-op meter, never to the host app's.
      new ExporterMetrics({
        componentType: COMPONENT_TYPE,
        metricsHelper: TraceExporterMetricsHelper,
        url: config.url,
        meterProvider: undefined,
        responseAttributesFromError: () => ({}),
      }),
      transport,
    );
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.stopped) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error("the OTLP exporter is shut down") });
      return;
    }
    this.delegate.export(spans, resultCallback);
  }

  forceFlush(): Promise<void> {
    return this.delegate.forceFlush();
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    // Waits for in-flight exports; telemetry aborts them through the shutdown signal at its deadline.
    await this.delegate.shutdown();
  }
}
