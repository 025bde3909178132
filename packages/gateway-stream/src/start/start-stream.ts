import { GatewayTelemetryUnavailableError } from "@pipelex/telemetry-core";
import type { ExporterContext } from "@pipelex/telemetry-core/plugin";
import type { ResolvedGatewayOptions } from "../options.js";
import { distinctIdFor } from "./distinct-id.js";
import { fetchRemoteTelemetryConfig, RemoteConfigError } from "./remote-config.js";

/** Where and as whom the stream sends, once started. */
export interface IngestTarget {
  /** `{endpoint}/batch/` */
  readonly batchUrl: string;
  readonly projectKey: string;
  readonly distinctId: string;
}

const PREFIX =
  "The Pipelex Gateway does not run without its telemetry, and the gateway telemetry stream could not start";
const ADVICE =
  "Check network access to it (or point PIPELEX_REMOTE_CONFIG_URL elsewhere), or stop using the gateway and use your own provider keys.";

/**
 * Hashes the key and, unless the app gave both endpoint and projectKey, reads the rest from the
 * remote config. Rejects only with GatewayTelemetryUnavailableError, whose message names the
 * remote config's origin (never its path or query) and never the key.
 */
export async function startStream(
  options: ResolvedGatewayOptions,
  context: Pick<ExporterContext, "shutdownSignal" | "killSwitch" | "fetch">,
  stopSignal?: AbortSignal,
): Promise<IngestTarget> {
  const distinctId = await distinctIdFor(options.apiKey).catch((error: unknown) => {
    throw new GatewayTelemetryUnavailableError(
      `${PREFIX}: ${error instanceof Error ? error.message : "hashing the key failed"}.`,
    );
  });
  let endpoint = options.endpoint;
  let projectKey = options.projectKey;
  if (endpoint === undefined || projectKey === undefined) {
    const where = `the remote config at ${options.remoteConfigUrl.origin}`;
    try {
      const remote = await fetchRemoteTelemetryConfig(options.remoteConfigUrl, {
        timeoutMs: options.startTimeoutMs,
        shutdownSignal: context.shutdownSignal,
        stopSignal,
        killSwitch: context.killSwitch,
        fetch: context.fetch,
      });
      endpoint ??= remote.endpoint;
      projectKey ??= remote.projectKey;
    } catch (error) {
      const reason = error instanceof RemoteConfigError ? error.message : "could not be read";
      throw new GatewayTelemetryUnavailableError(`${PREFIX}: ${where} ${reason}. ${ADVICE}`);
    }
    if (endpoint === undefined || projectKey === undefined) {
      const missing = endpoint === undefined ? "posthog.endpoint" : "posthog.project_api_key";
      throw new GatewayTelemetryUnavailableError(`${PREFIX}: ${where} has no "${missing}". ${ADVICE}`);
    }
  }
  return { batchUrl: batchUrlOf(endpoint), projectKey, distinctId };
}

/** PostHog's batch capture path under the endpoint, whatever its trailing slashes. */
export function batchUrlOf(endpoint: URL): string {
  const base = new URL(endpoint.href);
  base.search = "";
  base.hash = "";
  return `${base.href.replace(/\/+$/, "")}/batch/`;
}
