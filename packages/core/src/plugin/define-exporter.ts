import type { SpanExporter } from "@opentelemetry/sdk-trace-base";
import { containExporterHandles } from "../delivery/contain-handles.js";
import type { DeliveryOptions } from "../delivery/options.js";
import { PluginApiVersionError, TelemetryConfigError } from "../errors.js";
import type { EnvSource } from "../kill-switch/do-not-track.js";
import { type RedactorLike, toRedactor } from "../redaction/redactor.js";
import { type DestinationSpec, defineDestination } from "./destination-spec.js";
import type { ExporterContext } from "./exporter-context.js";

/** The plugin API this core implements. A plugin declares the version it was written against. */
export const PLUGIN_API_VERSION = 2;
export const SUPPORTED_PLUGIN_API_VERSIONS: readonly number[] = [PLUGIN_API_VERSION];

export const PLUGIN_BRAND = Symbol.for("pipelex.telemetry.exporterPlugin");

/**
 * What `parseOptions` is told about where its options came from. The options themselves are
 * always camelCase: core converts a file's snake_case keys before calling the plugin, and turns
 * the key paths of the errors the plugin throws back into the keys as written in the file.
 */
export interface ParseContext {
  /**
   * Where the options sit, e.g. `custom_posthog` or `exporters[0].options`; `""` for options
   * from app code. Prefix the key paths of your errors with it: `joinKeyPath(ctx.keyPath, "apiKey")`.
   */
  readonly keyPath: string;
  /** The config file that set them; `undefined` for options from app code. */
  readonly file: string | undefined;
  /**
   * The telemetry environment, for fallbacks such as `LANGFUSE_PUBLIC_KEY`. `undefined` when the
   * options come from app code before `createTelemetry({ env })` is known: resolve such fallbacks
   * in `create` from `context.env` then.
   */
  readonly env: EnvSource | undefined;
}

/** What a destination receives, in the three words `status` prints. */
export type Receives = "full data" | "redacted" | "metadata only";

/** A plugin's account of one destination, for `pipelex-telemetry status` and `preview`. No secrets. */
export interface PluginDescription {
  /** Where it sends: a URL without credentials or query, or a plain description. */
  readonly sendsTo: string;
  readonly receives: Receives;
  /** What it removes, in plain words (`content (prompts, completions, error messages)`); empty for full data. */
  readonly redacts: readonly string[];
  /** When `isEnabled` says off: why, in terms of the options (`tracing.enabled = false`). */
  readonly offReason?: string | undefined;
  /** Anything else worth a line in `status` (mode, protocol, ...). */
  readonly details?: Readonly<Record<string, string | number | boolean | undefined>>;
}

export interface ExporterPluginInit<TOptions> {
  /** Short name, e.g. `"otlp"`; also the default destination name. */
  readonly name: string;
  /** The plugin API the plugin is written against: `PLUGIN_API_VERSION` (2). */
  readonly apiVersion: number;
  /**
   * Validates camelCase options (from app code or a config section, the same shape) and applies
   * defaults; throws TelemetryConfigError, whose key paths start with `ctx.keyPath`.
   */
  parseOptions(raw: unknown, ctx: ParseContext): TOptions;
  /** Secret values its options hold (API keys, auth headers): masked in logs and scrubbed from spans. */
  secrets(options: TOptions): readonly (string | undefined)[];
  /** The redaction this destination gets by default (e.g. PostHog's capture settings); `[]` for full data. */
  defaultRedaction(options: TOptions): readonly RedactorLike[];
  /** Where it sends, what it receives and what it redacts, for `status` (no secrets). */
  describe(options: TOptions): PluginDescription;
  /** Builds the exporter. Called only when telemetry starts (never under DO_NOT_TRACK). */
  create(options: TOptions, context: ExporterContext): SpanExporter;
  /** Destination name for these options (e.g. an `[[otlp]]` entry's `name`); default `name`. */
  destinationName?(options: TOptions): string;
  /** False when these options turn the destination off; nothing is created then. */
  isEnabled?(options: TOptions): boolean;
  /** Override of "no redactor removes content", for exporters that map from an allowlist. */
  receivesContent?(options: TOptions): boolean;
  delivery?(options: TOptions): DeliveryOptions | undefined;
  /** HTTP statuses worth a retry (documented in the plugin's README); used by the delivery toolkit. */
  readonly retryableStatuses?: readonly number[];
  /**
   * Option paths (camelCase, dotted) whose values are maps keyed by data, such as HTTP header
   * names: core leaves their keys as written instead of converting them.
   */
  readonly freeFormOptions?: readonly string[];
  /**
   * True when every request the exporter makes goes through `context.fetch` (the delivery
   * toolkit does): `preview` then runs the real exporter against a capture fetch.
   */
  readonly usesContextFetch?: boolean;
  /**
   * True when the exporter never keeps the process alive by itself: every timer and socket it
   * creates is unref'd (the delivery toolkit's are). Otherwise, on Node, core unrefs the timers and
   * sockets created while the exporter runs, at the cost of an async hook (see the README).
   */
  readonly neverHoldsProcess?: boolean;
  /**
   * The options `preview` runs the exporter with, when they must differ to show its requests
   * (OTLP sends readable `http/json` there instead of protobuf). Nothing else should change.
   */
  previewOptions?(options: TOptions): TOptions;
}

export interface ExporterPlugin<TOptions = unknown> extends ExporterPluginInit<TOptions> {
  readonly [PLUGIN_BRAND]: true;
  /**
   * Options + app-code extras -> destination. `redact` entries are applied after the default
   * policy. Without `ctx` the options come from app code.
   */
  toDestination(raw: unknown, extras?: DestinationExtras, ctx?: Partial<ParseContext>): DestinationSpec;
}

/** Code-only additions a factory accepts next to the config keys. */
export interface DestinationExtras {
  /** Extra redactors, applied after the destination's default policy: they can only narrow. */
  readonly redact?: readonly RedactorLike[];
  readonly delivery?: DeliveryOptions;
}

const REQUIRED_FUNCTIONS = ["parseOptions", "create", "secrets", "defaultRedaction", "describe"] as const;

/**
 * Declares an exporter plugin. The module default-exports the result; its named factory is
 * usually `(options) => plugin.toDestination(options)`. A plugin written for another API version
 * is refused here, with what to change.
 */
export function defineExporter<TOptions>(init: ExporterPluginInit<TOptions>): ExporterPlugin<TOptions> {
  if (!init || typeof init.name !== "string" || init.name === "") {
    throw new TelemetryConfigError("defineExporter needs a name", {
      keyPath: "name",
      expected: "a non-empty string",
    });
  }
  if (!SUPPORTED_PLUGIN_API_VERSIONS.includes(init.apiVersion)) {
    throw new PluginApiVersionError(init.name, init.apiVersion, SUPPORTED_PLUGIN_API_VERSIONS);
  }
  for (const fn of REQUIRED_FUNCTIONS) {
    if (typeof init[fn] !== "function") {
      throw new TelemetryConfigError(`defineExporter("${init.name}") needs ${fn}()`, {
        keyPath: fn,
        expected: "a function",
      });
    }
  }
  const specFor = (options: TOptions, extras: DestinationExtras): DestinationSpec => {
    const redact = [...init.defaultRedaction(options), ...(extras.redact ?? [])].map(toRedactor);
    const previewOptions = init.previewOptions;
    return defineDestination({
      name: init.destinationName?.(options) ?? init.name,
      enabled: init.isEnabled?.(options) ?? true,
      redact,
      receivesContent: init.receivesContent?.(options),
      delivery: extras.delivery ?? init.delivery?.(options),
      secrets: init.secrets(options).filter((s): s is string => typeof s === "string" && s !== ""),
      describe: () => init.describe(options),
      usesContextFetch: init.usesContextFetch === true,
      preview: previewOptions ? () => specFor(previewOptions(options), extras) : undefined,
      createExporter: (context) =>
        init.neverHoldsProcess === true
          ? init.create(options, context)
          : containExporterHandles(() => init.create(options, context)),
    });
  };
  const plugin: ExporterPlugin<TOptions> = {
    ...init,
    [PLUGIN_BRAND]: true,
    toDestination(raw, extras = {}, ctx = {}) {
      const options = init.parseOptions(raw, { keyPath: ctx.keyPath ?? "", file: ctx.file, env: ctx.env });
      return specFor(options, extras);
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
