import { appendFile } from "node:fs/promises";
import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import { type ExporterContext, toTelemetrySpan } from "@pipelex/telemetry-core/plugin";

/**
 * Appends each span as one JSON line (the typed TelemetrySpan view). Writes are chained so
 * lines never interleave, and `forceFlush`/`shutdown` wait for the last write.
 */
export class JsonLinesExporter implements SpanExporter {
  private pending: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly path: string,
    private readonly context: ExporterContext,
  ) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    if (this.stopped || this.context.killSwitch.isEngaged()) {
      done({ code: ExportResultCode.FAILED, error: new Error("exporter is shut down") });
      return;
    }
    const lines = spans.map((span) => `${JSON.stringify(toTelemetrySpan(span))}\n`).join("");
    this.pending = this.pending
      .then(() => appendFile(this.path, lines, "utf8"))
      .then(
        () => done({ code: ExportResultCode.SUCCESS }),
        (error: unknown) => {
          this.context.logger.warn(
            `could not write ${this.path}: ${error instanceof Error ? error.message : String(error)}`,
          );
          done({
            code: ExportResultCode.FAILED,
            error: error instanceof Error ? error : new Error(String(error)),
          });
        },
      );
  }

  forceFlush(): Promise<void> {
    return this.pending;
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    await this.pending;
  }
}
