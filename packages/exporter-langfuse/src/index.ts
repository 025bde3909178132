import { type DestinationExtras, type DestinationSpec, splitExtras } from "@pipelex/telemetry-core/plugin";
import type { LangfuseOptionsInput } from "./options.js";
import { langfusePlugin } from "./plugin.js";

/** The `[langfuse]` section's keys in camelCase, plus app-code extras (`redact`, `delivery`). */
export type LangfuseFactoryOptions = LangfuseOptionsInput & DestinationExtras;

/**
 * A Langfuse destination: `langfuse({ enabled: true, endpoint, publicKey, secretKey })`.
 * `publicKey` / `secretKey` / `endpoint` default to LANGFUSE_PUBLIC_KEY / LANGFUSE_SECRET_KEY /
 * LANGFUSE_BASE_URL from the telemetry environment, then https://cloud.langfuse.com.
 */
export function langfuse(options: LangfuseFactoryOptions = {}): DestinationSpec {
  const { raw, extras } = splitExtras(options);
  return langfusePlugin.toDestination(raw, extras);
}

export default langfusePlugin;
export {
  InvalidEndpointError,
  LangfuseCredentialsError,
  TelemetryConfigError,
} from "@pipelex/telemetry-core";
export type { LangfuseConnection } from "./credentials.js";
export { LangfuseExportError } from "./export-error.js";
export type { LangfuseExporterConfig } from "./exporter.js";
export { DEFAULT_SPANS_PER_REQUEST, LangfuseExporter } from "./exporter.js";
export type { LangfuseTraceFields } from "./mapping.js";
export { toLangfuseSpan } from "./mapping.js";
export type { LangfuseDestinationOptions, LangfuseOptionsInput } from "./options.js";
export { DEFAULT_BASE_URL, LANGFUSE_ENV, langfuseOptionsSchema, parseLangfuseOptions } from "./options.js";
export { langfusePlugin };
