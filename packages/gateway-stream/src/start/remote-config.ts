import { createAbortScope, describeDeliveryError, validateEndpoint } from "@pipelex/telemetry-core/plugin";

/** What the gateway's remote config says about its telemetry ingest. */
export interface RemoteTelemetryConfig {
  readonly endpoint?: URL;
  readonly projectKey?: string;
}

/** A reason the remote config could not be had, in words safe to show (no URL path, no body, no key). */
export class RemoteConfigError extends Error {
  override readonly name = "RemoteConfigError";
}

/**
 * Fetches the remote config JSON once, bounded by `timeoutMs` (headers and body), and reads
 * `posthog.endpoint` / `posthog.project_api_key`. Everything else in the document is ignored.
 * No credential is sent: the document is public.
 */
export async function fetchRemoteTelemetryConfig(
  url: URL,
  options: { timeoutMs: number; signal?: AbortSignal; fetch?: typeof fetch | undefined },
): Promise<RemoteTelemetryConfig> {
  const scope = createAbortScope({ timeoutMs: options.timeoutMs, signals: [options.signal] });
  let document: unknown;
  try {
    const response = await (options.fetch ?? globalThis.fetch)(url, {
      headers: { accept: "application/json" },
      signal: scope.signal,
    });
    // A redirect must not downgrade to plain http (which would let anyone on the path pick the ingest).
    if (response.redirected && !isAcceptableUrl(response.url)) {
      await response.arrayBuffer().catch(() => undefined);
      throw new RemoteConfigError("redirected to a non-https URL");
    }
    if (!response.ok) {
      await response.arrayBuffer().catch(() => undefined);
      throw new RemoteConfigError(`answered HTTP ${response.status}`);
    }
    const text = await response.text();
    try {
      document = JSON.parse(text);
    } catch {
      throw new RemoteConfigError("did not answer with JSON");
    }
  } catch (error) {
    if (error instanceof RemoteConfigError) throw error;
    if (scope.cause === "timeout")
      throw new RemoteConfigError(`did not answer within ${options.timeoutMs} ms`);
    if (scope.cause === "stopped") throw new RemoteConfigError("was not fetched: telemetry is shutting down");
    throw new RemoteConfigError(`could not be reached: ${describeDeliveryError(error, url)}`);
  } finally {
    scope.dispose();
  }
  return readTelemetrySection(document);
}

export function readTelemetrySection(document: unknown): RemoteTelemetryConfig {
  const posthog = isRecord(document) ? document.posthog : undefined;
  if (!isRecord(posthog)) throw new RemoteConfigError('has no "posthog" section');
  const endpoint = posthog.endpoint;
  const projectKey = posthog.project_api_key;
  const result: { endpoint?: URL; projectKey?: string } = {};
  if (typeof endpoint === "string" && endpoint.trim() !== "") {
    try {
      result.endpoint = validateEndpoint(endpoint.trim(), { keyPath: "posthog.endpoint" });
    } catch {
      throw new RemoteConfigError('has an unusable "posthog.endpoint" (https required outside loopback)');
    }
  }
  if (typeof projectKey === "string" && projectKey.trim() !== "") result.projectKey = projectKey.trim();
  return result;
}

function isAcceptableUrl(value: string): boolean {
  try {
    validateEndpoint(value);
    return true;
  } catch {
    return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
