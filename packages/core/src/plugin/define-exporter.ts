import type { SpanExporter } from "@opentelemetry/sdk-trace-base";
import type { DeliveryOptions } from "../delivery/options.js";
import { TelemetryConfigError } from "../errors.js";
import { type RedactorLike, toRedactor } from "../redaction/redactor.js";
import { type DestinationSpec, defineDestination } from "./destination-spec.js";
import type { ExporterContext } from "./exporter-context.js";

/** The plugin API this core implements. A plugin declares the version it was written against. */
export const PLUGIN_API_VERSION = 1;
export const SUPPORTED_PLUGIN_API_VERSIONS: readonly number[] = [1];

export const PLUGIN_BRAND = Symbol.for("pipelex.telemetry.exporterPlugin");

/** Where raw options came from, so parse errors can point into telemetry.toml. */
export interface ParseContext {
  readonly file?: string | undefined;
  readonly keyPath?: string | undefined;
}

export interface ExporterPluginInit<TOptions> {
  /** Short name, e.g. `"otlp"`; also the default destination name. */
  readonly name: string;
  readonly apiVersion: number;
  /** Validates raw options (from app code or a config section); throws TelemetryConfigError. */
  parseOptions(raw: unknown, source?: ParseContext): TOptions;
  /** Builds the exporter. Called only when telemetry starts (never under DO_NOT_TRACK). */
  create(options: TOptions, context: ExporterContext): SpanExporter;
  /** Destination name for these options (e.g. an `[[otlp]]` entry's `name`). */
  destinationName?(options: TOptions): string;
  /** False when these options turn the destination off; nothing is created then. */
  isEnabled?(options: TOptions): boolean;
  /** The redaction this destination gets by default (e.g. PostHog's capture settings). */
  defaultRedaction?(options: TOptions): RedactorLike[];
  /** Override of "no redactor removes content", for exporters that map from an allowlist. */
  receivesContent?(options: TOptions): boolean;
  delivery?(options: TOptions): DeliveryOptions | undefined;
  /** Secret values to mask in logs (API keys, auth headers). */
  secrets?(options: TOptions): (string | undefined)[];
  /** Where it sends and what it redacts, for `pipelex-telemetry status` (no secrets). */
  describe?(options: TOptions): Record<string, unknown>;
}

export interface ExporterPlugin<TOptions = unknown> extends ExporterPluginInit<TOptions> {
  readonly [PLUGIN_BRAND]: true;
  /** Options + app-code extras -> destination. `redact` entries are applied after the default policy. */
  toDestination(raw: unknown, extras?: DestinationExtras, source?: ParseContext): DestinationSpec;
}

/** Code-only additions a factory accepts next to the config keys. */
export interface DestinationExtras {
  /** Extra redactors, applied after the destination's default policy: they can only narrow. */
  readonly redact?: readonly RedactorLike[];
  readonly delivery?: DeliveryOptions;
}

/**
 * Declares an exporter plugin. The module default-exports the result; its named factory is
 * usually `(options) => plugin.toDestination(options)`.
 */
export function defineExporter<TOptions>(init: ExporterPluginInit<TOptions>): ExporterPlugin<TOptions> {
  if (!init || typeof init.name !== "string" || init.name === "") {
    throw new TelemetryConfigError("defineExporter needs a name", {
      keyPath: "name",
      expected: "a non-empty string",
    });
  }
  for (const fn of ["parseOptions", "create"] as const) {
    if (typeof init[fn] !== "function") {
      throw new TelemetryConfigError(`defineExporter("${init.name}") needs ${fn}()`, {
        keyPath: fn,
        expected: "a function",
      });
    }
  }
  const plugin: ExporterPlugin<TOptions> = {
    ...init,
    [PLUGIN_BRAND]: true,
    toDestination(raw, extras = {}, source) {
      const options = init.parseOptions(raw, source);
      const redact = [...(init.defaultRedaction?.(options) ?? []), ...(extras.redact ?? [])].map(toRedactor);
      const name = init.destinationName?.(options) ?? init.name;
      return defineDestination({
        name,
        enabled: init.isEnabled?.(options) ?? true,
        redact,
        receivesContent: init.receivesContent?.(options),
        delivery: extras.delivery ?? init.delivery?.(options),
        secrets: (init.secrets?.(options) ?? []).filter(
          (s): s is string => typeof s === "string" && s !== "",
        ),
        describe: init.describe ? () => init.describe!(options) : undefined,
        createExporter: (context) => init.create(options, context),
      });
    },
  };
  return plugin;
}

export function isExporterPlugin(value: unknown): value is ExporterPlugin {
  return (
    typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[PLUGIN_BRAND] === true
  );
}

/** Splits app-code options into config keys and code-only extras (`redact`, `delivery`). */
export function splitExtras<T extends object>(
  options: T & Partial<DestinationExtras>,
): { raw: Omit<T, keyof DestinationExtras>; extras: DestinationExtras } {
  const { redact, delivery, ...raw } = options;
  return { raw, extras: { redact, delivery } };
}
