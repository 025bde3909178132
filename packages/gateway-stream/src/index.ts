/**
 * `@pipelex/telemetry-gateway-stream`: the Pipelex Gateway's mandatory, metadata-only stream.
 */
import { gatewayPlugin } from "./plugin.js";

// The errors are core's classes (one identity for `instanceof`), re-exported for convenience.
export {
  GatewayApiKeyMissingError,
  GatewayDoNotTrackConflictError,
  GatewayTelemetryUnavailableError,
} from "@pipelex/telemetry-core";
export {
  API_KEY_VAR,
  DEFAULT_REMOTE_CONFIG_URL,
  DEFAULT_START_TIMEOUT_MS,
  GATEWAY_DESTINATION_NAME,
  REMOTE_CONFIG_URL_VAR,
} from "./constants.js";
export type { EventIdentity } from "./events/allowlist.js";
export { toGatewayEvent } from "./events/allowlist.js";
export type {
  GatewayBatch,
  GatewayEvent,
  GatewayEventName,
  GatewayEventProperties,
  GatewayModelParameters,
} from "./events/gateway-event.js";
export { IDENTIFIER_PATTERN, INVALID, MAX_TEMPERATURE } from "./events/values.js";
export { GatewayKillSwitchError } from "./kill-switch-error.js";
export type { GatewayStreamOptions } from "./options.js";
export { distinctIdFor } from "./start/distinct-id.js";
export type { GatewayStream } from "./stream.js";
export { gatewayStream } from "./stream.js";
export { PACKAGE_NAME, PACKAGE_VERSION } from "./version.js";
export { gatewayPlugin };

export default gatewayPlugin;
