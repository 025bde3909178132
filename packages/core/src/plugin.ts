/**
 * `@pipelex/telemetry-core/plugin`: what exporter plugin authors build against.
 */

export { isLoopbackHost, validateEndpoint } from "./config/endpoint.js";
export type { OptionsSource } from "./config/parse-options.js";
export {
  joinKeyPath,
  parseOptionsWith,
  requireSecret,
  toCamelCase,
  toSnakeCase,
  unresolvedPlaceholder,
} from "./config/parse-options.js";
export { delay, unrefTimer } from "./delivery/export-with-timeout.js";
export type { DeliveryOptions } from "./delivery/options.js";
export type { ConfigErrorLocation, ConfigProblem } from "./errors.js";
export {
  InvalidEndpointError,
  LangfuseCredentialsError,
  PluginApiVersionError,
  TelemetryConfigError,
} from "./errors.js";
export type { EnvSource } from "./kill-switch/do-not-track.js";
export { isDoNotTrack } from "./kill-switch/do-not-track.js";
export type { KillSwitch } from "./kill-switch/kill-switch.js";
export type {
  DestinationExtras,
  ExporterPlugin,
  ExporterPluginInit,
  ParseContext,
  PluginDescription,
  Receives,
} from "./plugin/define-exporter.js";
export {
  defineExporter,
  isExporterPlugin,
  PLUGIN_API_VERSION,
  SUPPORTED_PLUGIN_API_VERSIONS,
  splitExtras,
} from "./plugin/define-exporter.js";
export type { AbortScope, AbortScopeOptions } from "./plugin/delivery/abort-scope.js";
export { createAbortScope, waitUnlessStopped } from "./plugin/delivery/abort-scope.js";
export type { DeliveryCause } from "./plugin/delivery/describe-error.js";
export {
  DeliveryError,
  describeDeliveryError,
  displayUrl,
  hostOf,
} from "./plugin/delivery/describe-error.js";
export { canGzip, gzip } from "./plugin/delivery/gzip.js";
export type { HttpOutcome, HttpTransport, HttpTransportOptions } from "./plugin/delivery/http-transport.js";
export { createHttpTransport } from "./plugin/delivery/http-transport.js";
export type { AttemptResult, RetryOptions, RetryPolicy, RetryResult } from "./plugin/delivery/retry.js";
export {
  backoffMs,
  classifyHttpOutcome,
  DEFAULT_RETRY_POLICY,
  parseRetryAfterMs,
  sendWithRetry,
  withRetry,
} from "./plugin/delivery/retry.js";
export {
  concatBytes,
  encodeJoinedInSlices,
  mapInSlices,
  SLICE_BUDGET_MS,
  sliceIsOver,
  yieldToEventLoop,
} from "./plugin/delivery/slices.js";
export type { DestinationSpec, DestinationSpecInit } from "./plugin/destination-spec.js";
export { defineDestination, isDestinationSpec } from "./plugin/destination-spec.js";
export type { ExporterContext } from "./plugin/exporter-context.js";
export type { LogLevel, TelemetryLogger } from "./plugin/logger.js";
export { MaskingLogger, maskSecret, RateLimitedWarning } from "./plugin/logger.js";
export { ATTR, EXCEPTION_EVENT } from "./span/attributes.js";
export type { SpanPatch } from "./span/span-copy.js";
export { copySpan } from "./span/span-copy.js";
export type { TelemetrySpan } from "./span/telemetry-span.js";
export { toTelemetrySpan } from "./span/telemetry-span.js";
export { CORE_VERSION } from "./version.js";
