/** Environment shape accepted everywhere core reads variables (process.env, a plain object on edge runtimes). */
export type EnvSource = Readonly<Record<string, string | undefined>>;

const NOT_SET_VALUES = new Set(["0", "false"]);

/** The process environment where there is one (Node, Bun, Deno compat); an empty object on other runtimes. */
export function defaultEnv(): EnvSource {
  const proc = (globalThis as { process?: { env?: EnvSource } }).process;
  return proc?.env ?? {};
}

/**
 * `DO_NOT_TRACK` counts as set when defined and its trimmed, lower-cased value is anything but
 * `0` or `false`; so `1`, `true`, `yes`, `no`, `off`, the empty string and any other value all
 * disable telemetry. This is the Python implementation's rule, and the privacy-first reading of
 * an ambiguous value: someone who wrote `DO_NOT_TRACK=no` meant to say something about tracking.
 */
export function isDoNotTrack(env: EnvSource = defaultEnv()): boolean {
  const raw = env.DO_NOT_TRACK;
  if (raw === undefined) return false;
  return !NOT_SET_VALUES.has(raw.trim().toLowerCase());
}
