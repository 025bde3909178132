import type { EnvSource } from "../kill-switch/do-not-track.js";

/**
 * Runtime modes gate custom telemetry through `[telemetry_allowed_modes]`. `ci` and `test` are
 * off unless the file turns them on, so telemetry stays silent in CI and test runs; any other
 * mode (`cli`, `server`, `python`, ...) is allowed unless the file says otherwise.
 */
export const DEFAULT_ALLOWED_MODES: Readonly<Record<string, boolean>> = { ci: false, test: false };

/** The mode used when neither the caller nor the environment names one. */
export const DEFAULT_MODE = "cli";

export interface DetectedMode {
  readonly mode: string;
  /** Why this mode: "option", or the variable that revealed it, or "default". */
  readonly source: string;
}

const TEST_RUNNER_VARIABLES = ["VITEST", "JEST_WORKER_ID", "NODE_TEST_CONTEXT"] as const;
const FALSY = new Set(["", "0", "false", "no", "off"]);

/** `test` under a test runner, else `ci` when `CI` is truthy, else `cli`. */
export function detectMode(env: EnvSource, explicit?: string): DetectedMode {
  if (explicit !== undefined && explicit !== "") return { mode: explicit, source: "option" };
  for (const name of TEST_RUNNER_VARIABLES) {
    if (env[name] !== undefined) return { mode: "test", source: name };
  }
  if (env.NODE_ENV === "test") return { mode: "test", source: "NODE_ENV" };
  const ci = env.CI;
  if (ci !== undefined && !FALSY.has(ci.trim().toLowerCase())) return { mode: "ci", source: "CI" };
  return { mode: DEFAULT_MODE, source: "default" };
}

export function isModeAllowed(mode: string, allowed: Readonly<Record<string, boolean>>): boolean {
  // hasOwn: a mode named like an Object.prototype member must not read the prototype.
  if (Object.hasOwn(allowed, mode)) return allowed[mode] === true;
  if (Object.hasOwn(DEFAULT_ALLOWED_MODES, mode)) return DEFAULT_ALLOWED_MODES[mode] === true;
  return true;
}
