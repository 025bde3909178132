/**
 * `@pipelex/telemetry-exporter-otlp`: Pipelex telemetry to any OpenTelemetry collector over
 * OTLP/HTTP (protobuf or JSON), one destination per `otlp({...})` / `[[otlp]]` entry.
 */
import plugin from "./plugin.js";

export default plugin;

// The errors its factory throws, so users can catch them from here too.
export { InvalidEndpointError, TelemetryConfigError } from "@pipelex/telemetry-core";
export type { OtlpCompression, OtlpProtocol, ResolvedOtlpConfig, SettingSource } from "./config.js";
export {
  DEFAULT_COMPRESSION,
  DEFAULT_PROTOCOL,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_TRACES_ENDPOINT,
  resolveOtlpConfig,
} from "./config.js";
export type { OtlpOptions, OtlpOptionsInput } from "./options.js";
export { otlpOptionsSchema, parseOtlpOptions } from "./options.js";
export { OtlpSpanExporter } from "./otlp-exporter.js";
export type { OtlpDestinationOptions } from "./plugin.js";
export { otlp } from "./plugin.js";
export { RETRY_POLICY } from "./transport/retry-policy.js";
export { EXPORTER_VERSION } from "./version.js";
