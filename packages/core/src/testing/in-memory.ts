import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import type { DeliveryOptions } from "../delivery/options.js";
import { wrapExporter } from "../plugin/destination.js";
import type { DestinationSpec } from "../plugin/destination-spec.js";
import type { RedactorLike } from "../redaction/redactor.js";
import { type TelemetrySpan, toTelemetrySpan } from "../span/telemetry-span.js";

/** Keeps exported spans in memory and counts export calls. */
export class RecordingExporter implements SpanExporter {
  readonly batches: ReadableSpan[][] = [];
  exportCalls = 0;
  shutdownCalls = 0;
  private stopped = false;

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.exportCalls++;
    if (this.stopped) {
      done({ code: ExportResultCode.FAILED, error: new Error("exporter is shut down") });
      return;
    }
    this.batches.push(spans);
    done({ code: ExportResultCode.SUCCESS });
  }

  get spans(): ReadableSpan[] {
    return this.batches.flat();
  }

  shutdown(): Promise<void> {
    this.shutdownCalls++;
    this.stopped = true;
    return Promise.resolve();
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

export interface InMemoryDestination {
  readonly destination: DestinationSpec;
  readonly exporter: RecordingExporter;
  /** Spans as the destination received them (after its redaction). */
  spans(): ReadableSpan[];
  /** The same, as typed views. */
  views(): TelemetrySpan[];
}

/** A destination that records what it receives; for tests of redaction and delivery. */
export function inMemoryDestination(
  name = "memory",
  options: { redact?: readonly RedactorLike[]; delivery?: DeliveryOptions } = {},
): InMemoryDestination {
  const exporter = new RecordingExporter();
  return {
    // Holds no timer or socket: nothing to watch.
    destination: wrapExporter(
      { name, exporter, redact: options.redact, delivery: options.delivery },
      { neverHoldsProcess: true },
    ),
    exporter,
    spans: () => exporter.spans,
    views: () => exporter.spans.map(toTelemetrySpan),
  };
}
