import { defaultEnv, type EnvSource, isDoNotTrack } from "../kill-switch/do-not-track.js";
import { type ConfigDocument, parseConfigDocument } from "./document.js";
import { type ConfigLayer, originOf, readConfigLayers } from "./layers.js";
import { detectMode, isModeAllowed, modeOffReason } from "./modes.js";
import { loadNodeHost } from "./node-host.js";
import { ConfigProblems } from "./problems.js";
import { resolveStreams, type StreamReport } from "./streams.js";
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
  /** Treat a mode that `[telemetry_allowed_modes]` turns off as allowed (`preview --all`). */
  ignoreMode?: boolean;
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
  /** `[meta] schema_version`, when a file sets it. */
  readonly schemaVersion: number | string | undefined;
  /** A `[pipelex_gateway]` table is present: accepted for Python compatibility, no effect here. */
  readonly hasPipelexGateway: boolean;
  readonly streams: readonly StreamReport[];
}

/** The configuration as far as it could be read, and every problem found on the way. */
export interface InspectedTelemetryConfig {
  readonly config: ResolvedTelemetryConfig;
  /** What `loadTelemetry` throws for this configuration (a combined TelemetryConfigError, a plugin error). */
  readonly error?: Error;
}

/**
 * Reads the telemetry.toml layers and reports, per stream, on or off and why. Each stream that
 * is on has its plugin imported and its options parsed, exactly as `loadTelemetry` does, so
 * the errors are the same. Throws every problem at once.
 */
export async function resolveTelemetryConfig(
  options: ResolveTelemetryConfigOptions = {},
): Promise<ResolvedTelemetryConfig> {
  const { config, error } = await inspectTelemetryConfig(options);
  if (error) throw error;
  return config;
}

/** Like `resolveTelemetryConfig`, but returns the error next to what could be read (for `status`). */
export async function inspectTelemetryConfig(
  options: ResolveTelemetryConfigOptions = {},
): Promise<InspectedTelemetryConfig> {
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
  const doc: ConfigDocument = parseConfigDocument(substituted.value, fileOf);
  for (const problem of doc.problems) problems.add(problem);

  const { mode, source } = detectMode(env, options.mode);
  const modeAllowed = isModeAllowed(mode, doc.allowedModes);
  const doNotTrack = isDoNotTrack(env);
  const { streams, pluginErrors } = await resolveStreams(doc, problems, {
    env,
    fileOf,
    host,
    cwd,
    blockedBy: doNotTrack
      ? { offBy: "do_not_track", reason: "DO_NOT_TRACK is set" }
      : modeAllowed || options.ignoreMode === true
        ? undefined
        : { offBy: "mode", reason: modeOffReason(mode, doc.allowedModes) },
  });
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
  const config: ResolvedTelemetryConfig = {
    cwd,
    homeDir,
    mode,
    modeSource: source,
    modeAllowed,
    doNotTrack,
    layers: merged.layers,
    allowedModes: doc.allowedModes,
    schemaVersion: doc.schemaVersion,
    hasPipelexGateway: doc.hasPipelexGateway,
    streams,
  };
  return { config, error: combinedError(problems, pluginErrors) };
}

/** Config problems and plugin errors as one error; a lone plugin error keeps its class. */
function combinedError(problems: ConfigProblems, pluginErrors: readonly Error[]): Error | undefined {
  if (problems.list.length === 0) return pluginErrors[0];
  for (const error of pluginErrors) problems.add({ message: error.message });
  try {
    problems.throwIfAny();
  } catch (error) {
    return error as Error;
  }
  return undefined;
}

export { modeOffReason };
