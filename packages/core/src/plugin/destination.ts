import type { SpanExporter } from "@opentelemetry/sdk-trace-base";
import { containExporterHandles } from "../delivery/contain-handles.js";
import type { DeliveryOptions } from "../delivery/options.js";
import { TelemetryConfigError } from "../errors.js";
import { type RedactorLike, toRedactor } from "../redaction/redactor.js";
import { type DestinationSpec, defineDestination } from "./destination-spec.js";

export interface DestinationOptions {
  name: string;
  /** Any OpenTelemetry SpanExporter. */
  exporter: SpanExporter;
  /** Redactors applied in order on this destination's copy of each span. */
  redact?: readonly RedactorLike[];
  delivery?: DeliveryOptions;
  /**
   * Declares that the exporter's timers and sockets never hold the process (it unrefs them, or
   * has none): core then does not watch its handles (no async hook on Node, see
   * contain-handles.ts). Default false: an exporter core did not build is watched.
   */
  neverHoldsProcess?: boolean;
}

/**
 * Turns any OpenTelemetry `SpanExporter` into a destination. On Node, the timers and sockets the
 * exporter creates never hold the process (see contain-handles.ts).
 */
export function destination(options: DestinationOptions): DestinationSpec {
  const declared = options?.neverHoldsProcess;
  if (declared !== undefined && typeof declared !== "boolean") {
    throw new TelemetryConfigError(
      `destination "${String(options.name)}": neverHoldsProcess must be a boolean`,
      {
        keyPath: "neverHoldsProcess",
        expected: "true or false",
      },
    );
  }
  return wrapExporter(options, { neverHoldsProcess: declared === true });
}

/**
 * `destination()` for an exporter core knows holds nothing (the in-memory one of `/testing`): no
 * handle watching.
 */
export function wrapExporter(
  options: DestinationOptions,
  how: { neverHoldsProcess: boolean },
): DestinationSpec {
  if (!options || typeof options.name !== "string" || options.name.trim() === "") {
    throw new TelemetryConfigError("a destination needs a non-empty name", {
      keyPath: "name",
      expected: "a string",
    });
  }
  const exporter = options.exporter;
  if (!exporter || typeof exporter.export !== "function" || typeof exporter.shutdown !== "function") {
    throw new TelemetryConfigError(`destination "${options.name}" needs an OpenTelemetry SpanExporter`, {
      keyPath: "exporter",
      expected: "an object with export() and shutdown()",
    });
  }
  return defineDestination({
    name: options.name,
    redact: (options.redact ?? []).map(toRedactor),
    delivery: options.delivery,
    createExporter: () => (how.neverHoldsProcess ? exporter : containExporterHandles(() => exporter)),
  });
}
