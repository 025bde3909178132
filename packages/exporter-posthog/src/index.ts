/**
 * `@pipelex/telemetry-exporter-posthog`: privacy-first PostHog LLM analytics for Pipelex
 * telemetry. The default export is the plugin (for `[custom_posthog]` in telemetry.toml and
 * `loadTelemetry`); `posthog({...})` is the app-code factory.
 */
import { posthogPlugin } from "./plugin.js";

export default posthogPlugin;

// The errors its factory throws, so users can catch them from here too.
export { InvalidEndpointError, TelemetryConfigError } from "@pipelex/telemetry-core";
export { PosthogDeliveryError, PosthogSpanExporter } from "./exporter.js";
export type { EventDraft, PosthogEventName } from "./mapper.js";
export { SpanEventMapper } from "./mapper.js";
export type { PosthogOptions, PosthogOptionsInput } from "./options.js";
export {
  DEFAULT_POSTHOG_ENDPOINT,
  DEFAULT_REDACT_PROPERTIES,
  isPosthogEnabled,
  POSTHOG_DEFAULTS,
  parsePosthogOptions,
  posthogOptionsSchema,
} from "./options.js";
export type { PosthogDestinationOptions } from "./plugin.js";
export { posthog, posthogPlugin } from "./plugin.js";
export { posthogRedactionPolicy } from "./policy.js";
export { EXPORTER_PACKAGE_NAME, EXPORTER_VERSION } from "./version.js";
