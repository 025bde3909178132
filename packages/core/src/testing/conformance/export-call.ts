import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";

/** One `export()` call as the kit saw it: every callback, and a throw if there was one. */
export interface ExportCall {
  readonly results: ExportResult[];
  threw?: unknown;
  /** Resolves at the first answer or throw. */
  readonly answered: Promise<void>;
  isAnswered(): boolean;
}

export function callExport(exporter: SpanExporter, spans: ReadableSpan[]): ExportCall {
  let markAnswered: () => void = () => {};
  const answered = new Promise<void>((resolve) => {
    markAnswered = resolve;
  });
  const call: ExportCall = {
    results: [],
    answered,
    isAnswered: () => call.results.length > 0 || call.threw !== undefined,
  };
  try {
    exporter.export(spans, (result) => {
      call.results.push(result ?? { code: ExportResultCode.FAILED });
      markAnswered();
    });
  } catch (error) {
    call.threw = error ?? new Error("export() threw");
    markAnswered();
  }
  return call;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
