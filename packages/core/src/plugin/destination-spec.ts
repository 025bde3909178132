import type { SpanExporter } from "@opentelemetry/sdk-trace-base";
import type { DeliveryOptions } from "../delivery/options.js";
import type { Redactor } from "../redaction/redactor.js";
import type { PluginDescription } from "./define-exporter.js";
import type { ExporterContext } from "./exporter-context.js";

export const DESTINATION_BRAND = Symbol.for("pipelex.telemetry.destination");

/**
 * A destination = an exporter + its redaction policy + its own bounded queue. Factories such as
 * `posthog({...})` return this description; core creates the exporter only when telemetry
 * actually starts (never under DO_NOT_TRACK).
 */
export interface DestinationSpec {
  readonly [DESTINATION_BRAND]: true;
  readonly name: string;
  /** False for a destination that is configured but off (e.g. PostHog `mode = "off"`): nothing is created. */
  readonly enabled: boolean;
  /** Applied in order, per span, on this destination's own copy. */
  readonly redact: readonly Redactor[];
  /**
   * Whether spans may carry content for this destination. Defaults to "no redactor removes
   * content". A destination that maps from an allowlist (the gateway) says `false`.
   */
  readonly receivesContent?: boolean;
  /** A mandatory destination (the gateway stream) conflicts with DO_NOT_TRACK instead of going silent. */
  readonly mandatory?: boolean;
  readonly delivery?: DeliveryOptions;
  /** Secret values to mask in every log line of this destination. */
  readonly secrets?: readonly string[];
  /** What `status`/`preview` print about where it sends, what it receives and redacts (no secrets). */
  readonly describe?: () => PluginDescription;
  /** Every request goes through `context.fetch`, so `preview` can run it against a capture fetch. */
  readonly usesContextFetch?: boolean;
  /** The same destination as `preview` runs it (see `previewOptions` in defineExporter). */
  readonly preview?: (() => DestinationSpec) | undefined;
  createExporter(context: ExporterContext): SpanExporter;
  /** Resolves when the destination is ready to send (e.g. remote config fetched); rejects if it cannot start. */
  ready?(): Promise<void>;
}

export function isDestinationSpec(value: unknown): value is DestinationSpec {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<symbol, unknown>)[DESTINATION_BRAND] === true
  );
}

/** What every destination spec needs; the rest is optional. */
export type DestinationSpecInit = Omit<DestinationSpec, typeof DESTINATION_BRAND | "enabled"> & {
  enabled?: boolean;
};

export function defineDestination(init: DestinationSpecInit): DestinationSpec {
  return { ...init, enabled: init.enabled ?? true, [DESTINATION_BRAND]: true };
}
