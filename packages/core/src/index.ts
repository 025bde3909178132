// What a custom destination is written against, so an app needs no OpenTelemetry dependency of
// its own (and cannot end up with a second, mismatched copy of these packages).
export type { ExportResult } from "@opentelemetry/core";
export { ExportResultCode } from "@opentelemetry/core";
export type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
export type { ConfigLayer, LayerName } from "./config/layers.js";
// Loaded on first call, so composing destinations in code loads no TOML parser, zod or CLI.
export { loadTelemetry, resolveTelemetryConfig } from "./config/lazy.js";
export type { LoadTelemetryOptions } from "./config/load-telemetry.js";
export type {
  InspectedTelemetryConfig,
  ResolvedTelemetryConfig,
  ResolveTelemetryConfigOptions,
} from "./config/resolve-config.js";
export type { OffBy, StreamKind, StreamReport } from "./config/streams.js";
export type { SecretsProvider } from "./config/substitute.js";
export type { DeliveryOptions } from "./delivery/options.js";
export type {
  DestinationShutdownReport,
  DestinationStats,
  DroppedCounts,
  ShutdownReport,
} from "./delivery/stats.js";
export type { ConfigErrorLocation, ConfigProblem } from "./errors.js";
export {
  ExporterConformanceError,
  GatewayApiKeyMissingError,
  GatewayDoNotTrackConflictError,
  GatewayTelemetryUnavailableError,
  InvalidEndpointError,
  LangfuseCredentialsError,
  PluginApiVersionError,
  PluginInvalidError,
  PluginNotFoundError,
  TelemetryConfigError,
  TelemetryError,
} from "./errors.js";
export type { EnvSource } from "./kill-switch/do-not-track.js";
export { isDoNotTrack } from "./kill-switch/do-not-track.js";
export type { KillSwitch } from "./kill-switch/kill-switch.js";
export type { DestinationOptions } from "./plugin/destination.js";
export { destination } from "./plugin/destination.js";
export type { DestinationSpec } from "./plugin/destination-spec.js";
export type { LogLevel, TelemetryLogger } from "./plugin/logger.js";
export * from "./redaction/index.js";
export type { Outcome, SpanCategory } from "./span/attributes.js";
export { ATTR, EXCEPTION_EVENT, REDACTED, REDACTED_CLASS_NAME, TRUNCATED_SUFFIX } from "./span/attributes.js";
export type { TelemetrySpan } from "./span/telemetry-span.js";
export { toTelemetrySpan } from "./span/telemetry-span.js";
export type { CreateTelemetryOptions } from "./telemetry/create-telemetry.js";
export { createTelemetry } from "./telemetry/create-telemetry.js";
export { createNoopTelemetry } from "./telemetry/noop-telemetry.js";
export type {
  InferenceCall,
  InferenceInfo,
  InferenceParams,
  Lazy,
  PipeRunInfo,
  ShutdownOptions,
  Telemetry,
  Usage,
} from "./telemetry/types.js";
export { CORE_VERSION } from "./version.js";
