import {
  type DestinationSpec,
  GatewayDoNotTrackConflictError,
  GatewayTelemetryUnavailableError,
  isDoNotTrack,
} from "@pipelex/telemetry-core";
import { defineDestination } from "@pipelex/telemetry-core/plugin";
import { GATEWAY_DELIVERY, GATEWAY_DESTINATION_NAME } from "./constants.js";
import {
  describeGateway,
  type GatewayStreamOptions,
  processEnv,
  resolveGatewayOptions,
  splitGatewayOptions,
} from "./options.js";
import { GatewaySession } from "./session.js";

/** A destination for `createTelemetry`, plus the two checks a gateway client needs. */
export interface GatewayStream extends DestinationSpec {
  readonly mandatory: true;
  readonly receivesContent: false;
  /** Throws GatewayDoNotTrackConflictError or GatewayTelemetryUnavailableError unless the stream is running. */
  assertActive(): void;
  /** Resolves once the stream can send (remote config loaded); rejects with GatewayTelemetryUnavailableError. */
  ready(): Promise<void>;
}

/**
 * The Pipelex Gateway's mandatory telemetry stream. Throws GatewayDoNotTrackConflictError when
 * DO_NOT_TRACK is set, GatewayApiKeyMissingError without a key, TelemetryConfigError for any
 * other option (unknown keys included). Add it to `createTelemetry({ destinations })`, then
 * `await stream.ready()` before the first gateway request and call `stream.assertActive()` before each.
 */
const PREVIEW_INGEST_ENDPOINT = "https://gateway-ingest.preview.invalid";
const PREVIEW_PROJECT_KEY = "phc_preview_placeholder";

export function gatewayStream(options: GatewayStreamOptions = {}): GatewayStream {
  const { raw, env: givenEnv, startTimeoutMs } = splitGatewayOptions(options);
  const env = givenEnv ?? processEnv();
  // Before anything else, so a user with DO_NOT_TRACK gets the real reason, not a missing-key error.
  if (isDoNotTrack(env)) throw new GatewayDoNotTrackConflictError();
  const resolved = resolveGatewayOptions(raw, env, startTimeoutMs);
  let session: GatewaySession | undefined;

  const spec = defineDestination({
    name: GATEWAY_DESTINATION_NAME,
    mandatory: true,
    receivesContent: false,
    // No redactor: the allowlist mapper decides what leaves, and a redactor could only drop spans.
    redact: [],
    delivery: GATEWAY_DELIVERY,
    secrets: [resolved.apiKey, resolved.projectKey].filter((s): s is string => s !== undefined),
    describe: () => describeGateway(resolved),
    // Batches go through context.fetch: `pipelex-telemetry preview` can capture them.
    usesContextFetch: true,
    // Under preview the remote config is not fetched: a placeholder ingest endpoint and key, so
    // the events shown are exactly those built, addressed to nowhere.
    preview: () =>
      gatewayStream({ ...options, env, endpoint: PREVIEW_INGEST_ENDPOINT, projectKey: PREVIEW_PROJECT_KEY }),
    createExporter(context) {
      session = new GatewaySession(resolved, context, env);
      return session;
    },
    ready() {
      return session ? session.ready() : Promise.reject(notAttached());
    },
  });

  return {
    ...spec,
    mandatory: true,
    receivesContent: false,
    assertActive() {
      if (isDoNotTrack(env)) throw new GatewayDoNotTrackConflictError();
      if (!session) throw notAttached();
      session.assertActive();
    },
  } as GatewayStream;
}

function notAttached(): GatewayTelemetryUnavailableError {
  return new GatewayTelemetryUnavailableError(
    "The gateway telemetry stream is not running: pass it to createTelemetry({ destinations: [stream] }) and call `await stream.ready()` first. The Pipelex Gateway does not run without it.",
  );
}
