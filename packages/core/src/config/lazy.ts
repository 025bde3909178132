// The root entry's config functions, loaded on first call. Reading telemetry.toml needs the TOML
// parser, zod and the plugin loader; an app that composes destinations in code never calls these,
// so it should not pay for loading them (tsup puts the config code in a chunk of its own).
import type { Telemetry } from "../telemetry/types.js";
import type { LoadTelemetryOptions } from "./load-telemetry.js";
import type { ResolvedTelemetryConfig, ResolveTelemetryConfigOptions } from "./resolve-config.js";

/** Builds telemetry from `.pipelex/telemetry.toml` (see load-telemetry.ts). */
export async function loadTelemetry(options?: LoadTelemetryOptions): Promise<Telemetry> {
  const { loadTelemetry: load } = await import("./load-telemetry.js");
  return load(options);
}

/** Reads and validates the telemetry.toml layers (see resolve-config.ts). */
export async function resolveTelemetryConfig(
  options?: ResolveTelemetryConfigOptions,
): Promise<ResolvedTelemetryConfig> {
  const { resolveTelemetryConfig: resolve } = await import("./resolve-config.js");
  return resolve(options);
}
