import type { DestinationSpec } from "@pipelex/telemetry-core";
import {
  type DestinationExtras,
  defineExporter,
  displayUrl,
  PLUGIN_API_VERSION,
  splitExtras,
} from "@pipelex/telemetry-core/plugin";
import { resolveOtlpConfig } from "./config.js";
import { type OtlpOptions, type OtlpOptionsInput, parseOtlpOptions } from "./options.js";
import { OtlpSpanExporter } from "./otlp-exporter.js";

/**
 * The OTLP exporter plugin: one destination per `otlp({...})` call or `[[otlp]]` entry, full
 * span data by default (it is the user's own collector); `redact` in app code narrows it.
 */
const plugin = defineExporter<OtlpOptions>({
  name: "otlp",
  apiVersion: PLUGIN_API_VERSION,
  parseOptions: parseOtlpOptions,
  // Header names are data (`Authorization`, `x-team`), not option names.
  freeFormOptions: ["headers"],
  usesContextFetch: true,
  // Built on the delivery toolkit: no timer or socket of its holds the process, core need not watch.
  neverHoldsProcess: true,
  // preview shows readable OTLP/JSON; the spans, resource and headers are the same.
  previewOptions: (options) => ({ ...options, protocol: "http/json", compression: "none" }),
  destinationName: (options) => options.name,
  // Full data: the collector is the user's own observability store (DESIGN.md, privacy policy).
  defaultRedaction: () => [],
  secrets: (options) => Object.values(options.headers ?? {}),
  describe: (options) => {
    // From a file the environment is known, so OTEL_EXPORTER_OTLP_* can be shown resolved.
    const resolved = options.env === undefined ? undefined : resolveOtlpConfig(options, options.env);
    const from = (source: string) => (source === "option" ? "" : ` (${source})`);
    return {
      sendsTo: resolved
        ? `${displayUrl(resolved.url)}${from(resolved.sources.url)}`
        : options.endpoint !== undefined
          ? displayUrl(options.endpoint)
          : "OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT, else http://localhost:4318/v1/traces",
      receives: "full data",
      redacts: [],
      details: {
        protocol:
          resolved?.protocol ??
          options.protocol ??
          "http/protobuf unless OTEL_EXPORTER_OTLP_* says otherwise",
        compression:
          resolved?.compression ?? options.compression ?? "none unless OTEL_EXPORTER_OTLP_* says otherwise",
        headers: Object.keys(resolved?.headers ?? options.headers ?? {}).join(", ") || "none",
      },
    };
  },
  create(options, context) {
    const config = resolveOtlpConfig(options, context.env);
    // Header values from options are registered by core (secrets()); these may come from the environment.
    context.logger.addSecrets(...Object.values(config.headers));
    for (const warning of config.warnings) context.logger.warn(warning);
    context.logger.debug(
      `OTLP destination "${context.destinationName}": ${config.protocol} to ${displayUrl(config.url)} (${config.sources.url}), ` +
        `compression ${config.compression}, timeout ${config.timeoutMillis} ms, headers [${Object.keys(config.headers).join(", ")}]`,
    );
    return new OtlpSpanExporter(config, context);
  },
});

export default plugin;

/** `otlp({...})` options: the `[[otlp]]` keys in camelCase, plus app-code `redact` and `delivery`. */
export type OtlpDestinationOptions = OtlpOptionsInput & DestinationExtras;

/** A destination that sends to an OpenTelemetry collector over OTLP/HTTP. */
export function otlp(options: OtlpDestinationOptions): DestinationSpec {
  const { raw, extras } = splitExtras(options);
  return plugin.toDestination(raw, extras);
}
