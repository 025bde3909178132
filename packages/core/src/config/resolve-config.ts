import { defaultEnv, type EnvSource, isDoNotTrack } from "../kill-switch/do-not-track.js";
import { type ConfigDocument, parseConfigDocument } from "./document.js";
import { type ConfigLayer, originOf, readConfigLayers } from "./layers.js";
import { detectMode, isModeAllowed, modeOffReason } from "./modes.js";
import { loadNodeHost } from "./node-host.js";
import { ConfigProblems } from "./problems.js";
import { buildStreamReports, type StreamGate, type StreamReport } from "./streams.js";
import { issuesUnder, resolvePlaceholders, type SecretsProvider } from "./substitute.js";

export interface ResolveTelemetryConfigOptions {
  /** The app's folder: holds `.pipelex/` and the `node_modules` plugins are resolved from. Default `process.cwd()`. */
  cwd?: string;
  /** Where `${VAR}`, DO_NOT_TRACK, CI and the test-runner variables are read. Default `process.env`. */
  env?: EnvSource;
  /** Holds the global `.pipelex/`. Default the user's home folder. */
  homeDir?: string;
  /**
   * Runtime mode, checked against `[telemetry_allowed_modes]`. Default: `test` under a test
   * runner, `ci` when `CI` is set, else `cli`.
   */
  mode?: string;
  /**
   * Resolves `${secret:NAME}` (and `${NAME}` when the variable is not set). Without one, a
   * `secret:` reference in a stream that is on is an error naming the key.
   */
  secrets?: SecretsProvider;
}

export interface ResolvedTelemetryConfig {
  readonly cwd: string;
  readonly homeDir: string;
  readonly mode: string;
  /** `option`, `default`, or the variable the mode was detected from. */
  readonly modeSource: string;
  readonly modeAllowed: boolean;
  readonly doNotTrack: boolean;
  readonly layers: readonly ConfigLayer[];
  readonly allowedModes: Readonly<Record<string, boolean>>;
  readonly streams: readonly StreamReport[];
}

/**
 * Reads and validates the telemetry.toml layers and reports, per stream, on or off and why.
 * Imports no plugin: `status`, `preview` and `loadTelemetry` all start here.
 */
export async function resolveTelemetryConfig(
  options: ResolveTelemetryConfigOptions = {},
): Promise<ResolvedTelemetryConfig> {
  const env = options.env ?? defaultEnv();
  const host = await loadNodeHost();
  const cwd = host.resolve(options.cwd ?? host.cwd());
  const homeDir = host.resolve(options.homeDir ?? host.homedir());
  const merged = await readConfigLayers(host, cwd, homeDir);
  const fileOf = (keyPath: string) => originOf(merged.origins, keyPath);
  // Every problem of every file goes into one error: syntax errors first, then the rest.
  const problems = new ConfigProblems();
  for (const problem of merged.problems) problems.add(problem);
  const substituted = await resolvePlaceholders(merged.document, { env, secrets: options.secrets });
  const doc: ConfigDocument | undefined = problems.attempt(() =>
    parseConfigDocument(substituted.value, fileOf),
  );
  if (!doc) {
    problems.throwIfAny();
    throw new Error("unreachable: the document failed without a problem");
  }

  const { mode, source } = detectMode(env, options.mode);
  const modeAllowed = isModeAllowed(mode, doc.allowedModes);
  const doNotTrack = isDoNotTrack(env);
  const gate: StreamGate = {
    env,
    fileOf,
    blockedBy: doNotTrack
      ? { offBy: "do_not_track", reason: "DO_NOT_TRACK is set" }
      : modeAllowed
        ? undefined
        : { offBy: "mode", reason: modeOffReason(mode, doc.allowedModes) },
  };
  const streams = problems.attempt(() => buildStreamReports(doc, gate)) ?? [];
  // A mistyped placeholder or a secret that cannot be had matters only in a stream that is on.
  for (const stream of streams.filter((s) => s.on)) {
    for (const issue of issuesUnder(substituted.issues, stream.keyPath)) {
      problems.add({
        file: fileOf(issue.keyPath) ?? stream.file,
        keyPath: issue.keyPath,
        message: issue.message,
      });
    }
  }
  problems.throwIfAny();
  return {
    cwd,
    homeDir,
    mode,
    modeSource: source,
    modeAllowed,
    doNotTrack,
    layers: merged.layers,
    allowedModes: doc.allowedModes,
    streams,
  };
}

export { modeOffReason };
