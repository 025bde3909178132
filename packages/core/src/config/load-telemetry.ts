import { defaultEnv, isDoNotTrack } from "../kill-switch/do-not-track.js";
import type { DestinationSpec } from "../plugin/destination-spec.js";
import { type CreateTelemetryOptions, createTelemetry } from "../telemetry/create-telemetry.js";
import { createNoopTelemetry } from "../telemetry/noop-telemetry.js";
import type { Telemetry } from "../telemetry/types.js";
import {
  modeOffReason,
  type ResolvedTelemetryConfig,
  type ResolveTelemetryConfigOptions,
  resolveTelemetryConfig,
} from "./resolve-config.js";

export interface LoadTelemetryOptions
  extends ResolveTelemetryConfigOptions,
    Omit<CreateTelemetryOptions, "env" | "destinations"> {
  /** Destinations built in code (e.g. `gatewayStream()`), added after the configured ones. */
  destinations?: CreateTelemetryOptions["destinations"];
}

/**
 * Builds from `.pipelex/telemetry.toml` the same telemetry app code builds with
 * `createTelemetry`: each section the config turns on becomes its plugin's destination.
 * Under DO_NOT_TRACK nothing is read and no plugin module is imported. Resolves once every
 * destination is ready (a gateway-like destination may start asynchronously).
 */
export async function loadTelemetry(options: LoadTelemetryOptions = {}): Promise<Telemetry> {
  const {
    cwd: _cwd,
    homeDir: _homeDir,
    mode: _mode,
    secrets: _secrets,
    destinations: extra = [],
    ...createOptions
  } = options;
  const env = options.env ?? defaultEnv();
  if (isDoNotTrack(env)) {
    // createTelemetry returns the no-op telemetry, or throws the gateway conflict when a
    // mandatory destination was passed in: the same outcome as app code.
    return createTelemetry({ ...createOptions, env, destinations: extra });
  }
  const config = await resolveTelemetryConfig({ ...options, env });
  const configured = configuredDestinations(config);
  if (configured.length === 0 && !extra.some(Boolean)) return createNoopTelemetry(whyNothingIsOn(config));
  const telemetry = createTelemetry({ ...createOptions, env, destinations: [...configured, ...extra] });
  try {
    await telemetry.ready();
  } catch (error) {
    await telemetry.shutdown({ timeoutMs: 1000 }).catch(() => undefined);
    throw error;
  }
  return telemetry;
}

/** The destinations the plugins built for the streams that are on. */
function configuredDestinations(config: ResolvedTelemetryConfig): DestinationSpec[] {
  return config.streams.flatMap((s) => (s.on && s.spec ? [s.spec] : []));
}

function whyNothingIsOn(config: ResolvedTelemetryConfig): string {
  if (!config.modeAllowed) return modeOffReason(config.mode, config.allowedModes);
  return config.layers.some((l) => l.loaded)
    ? "no stream is on in telemetry.toml"
    : "no telemetry.toml was found";
}
