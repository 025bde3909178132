import type { DestinationSpec } from "@pipelex/telemetry-core";
import {
  type DestinationExtras,
  defineExporter,
  type OtlpOptionsInput,
  splitExtras,
} from "@pipelex/telemetry-core/plugin";
import { displayUrl, resolveOtlpConfig } from "./config.js";
import { type OtlpOptions, parseOtlpOptions } from "./options.js";
import { OtlpSpanExporter } from "./otlp-exporter.js";

/**
 * The OTLP exporter plugin: one destination per `otlp({...})` call or `[[otlp]]` entry, full
 * span data by default (it is the user's own collector); `redact` in app code narrows it.
 */
const plugin = defineExporter<OtlpOptions>({
  name: "otlp",
  apiVersion: 1,
  parseOptions: parseOtlpOptions,
  destinationName: (options) => options.name,
  // Full data: the collector is the user's own observability store (DESIGN.md, privacy policy).
  defaultRedaction: () => [],
  secrets: (options) => Object.values(options.headers ?? {}),
  describe: (options) => ({
    endpoint:
      options.endpoint !== undefined
        ? displayUrl(options.endpoint)
        : "from OTEL_EXPORTER_OTLP_* or the default",
    protocol:
      options.protocol ?? "http/protobuf (unless OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL says otherwise)",
    compression:
      options.compression ?? "none (unless OTEL_EXPORTER_OTLP_[TRACES_]COMPRESSION says otherwise)",
    headers: Object.keys(options.headers ?? {}),
    redaction: "none: full span data",
  }),
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
