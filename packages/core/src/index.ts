export { createTelemetry } from "./telemetry/create-telemetry.js";
export type { CreateTelemetryOptions } from "./telemetry/create-telemetry.js";
export { createNoopTelemetry } from "./telemetry/noop-telemetry.js";
export type {
  Telemetry,
  PipeRunInfo,
  InferenceInfo,
  InferenceParams,
  InferenceCall,
  Usage,
  Lazy,
  ShutdownOptions,
} from "./telemetry/types.js";
export type { DestinationStats, DroppedCounts, ShutdownReport, DestinationShutdownReport } from "./delivery/stats.js";
export type { DeliveryOptions } from "./delivery/options.js";

export { ATTR, EXCEPTION_EVENT, REDACTED, REDACTED_CLASS_NAME, TRUNCATED_SUFFIX } from "./span/attributes.js";
export type { SpanCategory, Outcome } from "./span/attributes.js";
export { toTelemetrySpan } from "./span/telemetry-span.js";
export type { TelemetrySpan } from "./span/telemetry-span.js";

export * from "./redaction/index.js";

export { isDoNotTrack } from "./kill-switch/do-not-track.js";
export type { EnvSource } from "./kill-switch/do-not-track.js";
export type { KillSwitch } from "./kill-switch/kill-switch.js";

export { destination } from "./plugin/destination.js";
export type { DestinationOptions } from "./plugin/destination.js";
export type { DestinationSpec } from "./plugin/destination-spec.js";
export type { TelemetryLogger, LogLevel } from "./plugin/logger.js";

export {
  TelemetryError,
  TelemetryConfigError,
  PluginNotFoundError,
  PluginApiVersionError,
  PluginInvalidError,
  GatewayDoNotTrackConflictError,
  GatewayApiKeyMissingError,
  GatewayTelemetryUnavailableError,
  LangfuseCredentialsError,
  InvalidEndpointError,
  ExporterConformanceError,
} from "./errors.js";
export type { ConfigErrorLocation } from "./errors.js";

export { CORE_VERSION } from "./version.js";
export { loadTelemetry } from "./config/load-telemetry.js";
export type { LoadTelemetryOptions } from "./config/load-telemetry.js";
export { resolveTelemetryConfig } from "./config/resolve-config.js";
export type { ResolveTelemetryConfigOptions, ResolvedTelemetryConfig } from "./config/resolve-config.js";
export type { StreamReport, StreamKind, OffBy } from "./config/streams.js";
export type { ConfigLayer, LayerName } from "./config/layers.js";
