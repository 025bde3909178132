/**
 * `@pipelex/telemetry-core/plugin`: what exporter plugin authors build against.
 */
export {
  defineExporter,
  isExporterPlugin,
  splitExtras,
  PLUGIN_API_VERSION,
  SUPPORTED_PLUGIN_API_VERSIONS,
} from "./plugin/define-exporter.js";
export type { ExporterPlugin, ExporterPluginInit, DestinationExtras, ParseContext } from "./plugin/define-exporter.js";
export { defineDestination, isDestinationSpec } from "./plugin/destination-spec.js";
export type { DestinationSpec, DestinationSpecInit } from "./plugin/destination-spec.js";
export type { ExporterContext } from "./plugin/exporter-context.js";
export { MaskingLogger, maskSecret, RateLimitedWarning } from "./plugin/logger.js";
export type { TelemetryLogger, LogLevel } from "./plugin/logger.js";
export { validateEndpoint, isLoopbackHost } from "./config/endpoint.js";
export { parseOptionsWith, requireSecret, unresolvedPlaceholder, toCamelCase, toSnakeCase } from "./config/parse-options.js";
export type { OptionsSource } from "./config/parse-options.js";
export * from "./config/sections.js";
export { copySpan } from "./span/span-copy.js";
export type { SpanPatch } from "./span/span-copy.js";
export { toTelemetrySpan } from "./span/telemetry-span.js";
export type { TelemetrySpan } from "./span/telemetry-span.js";
export { ATTR, EXCEPTION_EVENT } from "./span/attributes.js";
export { delay, unrefTimer } from "./delivery/export-with-timeout.js";
export { isDoNotTrack } from "./kill-switch/do-not-track.js";
export type { KillSwitch } from "./kill-switch/kill-switch.js";
export type { DeliveryOptions } from "./delivery/options.js";
export { CORE_VERSION } from "./version.js";
export type { ConfigErrorLocation } from "./errors.js";
export { TelemetryConfigError, InvalidEndpointError } from "./errors.js";
export { posthogRedactionPolicy } from "./config/posthog-policy.js";
