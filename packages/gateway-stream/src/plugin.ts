import {
  type DestinationExtras,
  defineExporter,
  type ExporterPlugin,
  PLUGIN_API_VERSION,
  TelemetryConfigError,
} from "@pipelex/telemetry-core/plugin";
import { GATEWAY_DELIVERY, GATEWAY_DESTINATION_NAME } from "./constants.js";
import {
  describeGateway,
  type GatewayStreamOptions,
  processEnv,
  type ResolvedGatewayOptions,
  resolveGatewayOptions,
} from "./options.js";
import { GatewaySession } from "./session.js";
import { gatewayStream } from "./stream.js";

const base = defineExporter<ResolvedGatewayOptions>({
  name: "gateway",
  apiVersion: PLUGIN_API_VERSION,
  parseOptions: (raw, ctx) => resolveGatewayOptions(raw, ctx.env ?? processEnv(), undefined, ctx),
  create: (options, context) => new GatewaySession(options, context, context.env),
  destinationName: () => GATEWAY_DESTINATION_NAME,
  receivesContent: () => false,
  defaultRedaction: () => [],
  delivery: () => GATEWAY_DELIVERY,
  secrets: (options) => [options.apiKey, options.projectKey],
  describe: describeGateway,
  usesContextFetch: true,
  // Built on the delivery toolkit: no timer or socket of its holds the process, core need not watch.
  neverHoldsProcess: true,
});

/**
 * The module's default export, for tools that take a plugin module. `toDestination` is
 * `gatewayStream()`, so a stream built this way is mandatory too (DO_NOT_TRACK conflicts instead
 * of going silent) and refuses extra redactors or delivery settings, which could only drop data.
 */
export const gatewayPlugin: ExporterPlugin<ResolvedGatewayOptions> = {
  ...base,
  toDestination(raw: unknown, extras?: DestinationExtras) {
    if ((extras?.redact?.length ?? 0) > 0 || extras?.delivery !== undefined) {
      throw new TelemetryConfigError("the gateway stream takes no redactors or delivery settings", {
        keyPath: extras?.redact?.length ? "redact" : "delivery",
        expected: "no extras: the gateway's allowlist and delivery are fixed",
      });
    }
    return gatewayStream(raw as GatewayStreamOptions);
  },
};
