import type { EnvSource } from "../kill-switch/do-not-track.js";
import { closestMatch } from "./suggestions.js";

/**
 * Runtime modes gate custom telemetry through `[telemetry_allowed_modes]`, with the Python
 * implementation's names and defaults: telemetry stays silent in CI, under a test runner
 * (`pytest`, the test mode whatever the runner) and in bare SDK use (`python`), and may run in
 * the interactive and server integrations. A file entry overrides its default.
 */
export const DEFAULT_ALLOWED_MODES: Readonly<Record<string, boolean>> = Object.freeze({
  ci: false,
  cli: true,
  docker: true,
  fastapi: true,
  mcp: true,
  n8n: true,
  pytest: false,
  python: false,
});

/** The mode used when neither the caller nor the environment names one. */
export const DEFAULT_MODE = "cli";
/** The mode a test runner is detected as: Python's name for it, so one file serves both. */
export const TEST_MODE = "pytest";

export interface DetectedMode {
  readonly mode: string;
  /** Why this mode: "option", or the variable that revealed it, or "default". */
  readonly source: string;
}

const TEST_RUNNER_VARIABLES = ["VITEST", "JEST_WORKER_ID", "NODE_TEST_CONTEXT"] as const;
const FALSY = new Set(["", "0", "false", "no", "off"]);

/** `pytest` under a test runner, else `ci` when `CI` is truthy, else `cli`. */
export function detectMode(env: EnvSource, explicit?: string): DetectedMode {
  if (explicit !== undefined && explicit !== "") return { mode: explicit, source: "option" };
  for (const name of TEST_RUNNER_VARIABLES) {
    if (env[name] !== undefined) return { mode: TEST_MODE, source: name };
  }
  if (env.NODE_ENV === "test") return { mode: TEST_MODE, source: "NODE_ENV" };
  const ci = env.CI;
  if (ci !== undefined && !FALSY.has(ci.trim().toLowerCase())) return { mode: "ci", source: "CI" };
  return { mode: DEFAULT_MODE, source: "default" };
}

/**
 * The file's entry, else the default; a mode known to neither is NOT allowed (as in Python):
 * custom telemetry sends data off the machine, so a mistyped or new mode name must be opted
 * in by name rather than start sending silently.
 */
export function isModeAllowed(mode: string, allowed: Readonly<Record<string, boolean>>): boolean {
  // hasOwn: a mode named like an Object.prototype member must not read the prototype.
  if (Object.hasOwn(allowed, mode)) return allowed[mode] === true;
  if (Object.hasOwn(DEFAULT_ALLOWED_MODES, mode)) return DEFAULT_ALLOWED_MODES[mode] === true;
  return false;
}

/** Why custom telemetry is off in `mode`, for status lines and the no-op telemetry's reason. */
export function modeOffReason(mode: string, allowed: Readonly<Record<string, boolean>>): string {
  if (Object.hasOwn(allowed, mode)) return `mode "${mode}" is off in [telemetry_allowed_modes]`;
  const fix = `set ${mode} = true in [telemetry_allowed_modes] to allow it`;
  if (Object.hasOwn(DEFAULT_ALLOWED_MODES, mode)) return `mode "${mode}" is off by default (${fix})`;
  const known = [...new Set([...Object.keys(DEFAULT_ALLOWED_MODES), ...Object.keys(allowed)])];
  const suggestion = closestMatch(mode, known);
  const didYouMean = suggestion !== undefined ? `; did you mean "${suggestion}"?` : "";
  return `mode "${mode}" is unknown, and unknown modes are off (${fix})${didYouMean}`;
}
