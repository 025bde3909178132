import {
  createHttpTransport,
  type DeliveryCause,
  describeDeliveryError,
  type KillSwitch,
  validateEndpoint,
} from "@pipelex/telemetry-core/plugin";

/** What the gateway's remote config says about its telemetry ingest. */
export interface RemoteTelemetryConfig {
  readonly endpoint?: URL;
  readonly projectKey?: string;
}

/** A reason the remote config could not be had, in words safe to show (no URL path, no body, no key). */
export class RemoteConfigError extends Error {
  override readonly name = "RemoteConfigError";
}

export interface RemoteConfigFetchOptions {
  /** Bound for the request, headers and body. */
  readonly timeoutMs: number;
  /** Core's shutdownSignal: aborts the request when shutdown gives up. */
  readonly shutdownSignal: AbortSignal;
  /** The stream's own stop (its exporter's shutdown): a config still loading is not waited for. */
  readonly stopSignal?: AbortSignal | undefined;
  /** Engaged by `disable()` or DO_NOT_TRACK appearing: the request aborts at once. */
  readonly killSwitch: KillSwitch;
  /** `context.fetch` when core provides one; else the toolkit's fetch. */
  readonly fetch?: typeof fetch | undefined;
}

/**
 * Fetches the remote config JSON once through core's delivery toolkit, so the request is bounded
 * by `timeoutMs` (headers and body), never keeps the process alive (unref'd socket and timers),
 * aborts on shutdown and on the kill switch, follows no redirect (the document says where the
 * gateway's telemetry goes: a redirect must not choose it) and is not traced by the host app's
 * fetch instrumentation. Reads `posthog.endpoint` / `posthog.project_api_key`; everything else in
 * the document is ignored. No credential is sent: the document is public.
 */
export async function fetchRemoteTelemetryConfig(
  url: URL,
  options: RemoteConfigFetchOptions,
): Promise<RemoteTelemetryConfig> {
  const transport = createHttpTransport({
    url: url.href,
    timeoutMs: options.timeoutMs,
    shutdownSignal: options.shutdownSignal,
    killSwitch: options.killSwitch,
    fetch: options.fetch,
  });
  let document: unknown;
  try {
    const response = await transport.fetch(url, {
      headers: { accept: "application/json" },
      ...(options.stopSignal ? { signal: options.stopSignal } : {}),
    });
    if (response.status >= 300 && response.status < 400)
      throw new RemoteConfigError(
        `answered with a redirect (HTTP ${response.status}), which is not followed`,
      );
    if (!response.ok) throw new RemoteConfigError(`answered HTTP ${response.status}`);
    const text = await response.text();
    try {
      document = JSON.parse(text);
    } catch {
      throw new RemoteConfigError("did not answer with JSON");
    }
  } catch (error) {
    if (error instanceof RemoteConfigError) throw error;
    const kind = (error as { kind?: DeliveryCause } | undefined)?.kind;
    if (kind === "timeout") throw new RemoteConfigError(`did not answer within ${options.timeoutMs} ms`);
    if (kind === "aborted")
      throw new RemoteConfigError(
        options.killSwitch.isEngaged()
          ? "was not fetched: the telemetry kill switch engaged (DO_NOT_TRACK or telemetry.disable())"
          : "was not fetched: telemetry is shutting down",
      );
    throw new RemoteConfigError(`could not be reached: ${describeDeliveryError(error, url)}`);
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
