import {
  type ConfigProblem,
  InvalidEndpointError,
  LangfuseCredentialsError,
  PluginNotFoundError,
  TelemetryConfigError,
} from "../errors.js";
import type { EnvSource } from "../kill-switch/do-not-track.js";
import type { ExporterPlugin, PluginDescription } from "../plugin/define-exporter.js";
import { type DestinationSpec, isDestinationSpec } from "../plugin/destination-spec.js";
import { loadExporterPlugin } from "../plugin/load-plugin.js";
import type { ConfigDocument, ConfiguredStream, StreamKind } from "./document.js";
import { type ConvertedOptions, convertOptions, type FileOf } from "./keys.js";
import type { NodeHost } from "./node-host.js";
import { joinKeyPath } from "./parse-options.js";
import type { ConfigProblems } from "./problems.js";
import { findUnresolved } from "./substitute.js";

export type { StreamKind };
/** What turned a stream off: its own section, the runtime mode, or the kill switch. */
export type OffBy = "config" | "mode" | "do_not_track";

/** One configured stream: whether it is on, why, and (once its plugin has read it) what it does. */
export interface StreamReport {
  /** The destination name `stats()` uses; before the plugin is loaded, the section's label. */
  readonly name: string;
  readonly kind: StreamKind;
  readonly packageName: string;
  readonly keyPath: string;
  readonly file: string | undefined;
  readonly on: boolean;
  readonly offBy?: OffBy;
  readonly reason: string;
  /** False when the plugin package is not installed (only looked up for streams that are on). */
  readonly installed?: boolean;
  /** The command that installs it, in the app's package manager, when it is not installed. */
  readonly installCommand?: string | undefined;
  /** The plugin's own account: where it sends, what it receives and redacts. */
  readonly description?: PluginDescription;
  /** Secret values the plugin declared for these options; shown masked, never whole. */
  readonly secrets: readonly string[];
  /** The destination the plugin built, for a stream that is on. */
  readonly spec?: DestinationSpec;
  /** Why the stream cannot start (its plugin is missing, invalid, or its options are wrong). */
  readonly problem?: string;
}

export interface StreamGate {
  readonly env: EnvSource;
  readonly fileOf: FileOf;
  readonly host: NodeHost;
  /** Plugins are resolved from here (the app's own node_modules). */
  readonly cwd: string;
  /** Undefined when custom telemetry may run; else why not. */
  readonly blockedBy?: { readonly offBy: "mode" | "do_not_track"; readonly reason: string };
}

export interface ResolvedStreams {
  readonly streams: readonly StreamReport[];
  /** Plugins that could not be loaded (not installed, invalid, another API version). */
  readonly pluginErrors: readonly Error[];
}

/**
 * Decides, per stream, on or off and why. A stream its section turns on has its plugin imported
 * and its options parsed by the plugin, exactly as `loadTelemetry` builds it: the same errors,
 * with key paths as written in the file, each added to `problems`. Nothing is imported for a
 * stream that is off.
 */
export async function resolveStreams(
  doc: ConfigDocument,
  problems: ConfigProblems,
  gate: StreamGate,
): Promise<ResolvedStreams> {
  const pluginErrors: Error[] = [];
  const plugins = new Map<string, Promise<ExporterPlugin>>();
  const streams: StreamReport[] = [];
  for (const configured of doc.streams) {
    const base = {
      name: labelOf(configured),
      kind: configured.kind,
      packageName: configured.packageName,
      keyPath: configured.keyPath,
      file: configured.file,
      secrets: [],
    };
    if (!configured.on) {
      streams.push({ ...base, on: false, offBy: "config", reason: configured.reason });
      continue;
    }
    if (gate.blockedBy) {
      streams.push({ ...base, on: false, ...gate.blockedBy });
      continue;
    }
    const on = { ...base, on: true, reason: configured.reason };
    let pending = plugins.get(configured.packageName);
    if (!pending) {
      pending = loadExporterPlugin(gate.host, configured.packageName, gate.cwd, gate.env);
      plugins.set(configured.packageName, pending);
    }
    let plugin: ExporterPlugin;
    try {
      plugin = await pending;
    } catch (error) {
      pluginErrors.push(error as Error);
      const installCommand = error instanceof PluginNotFoundError ? error.installCommand : undefined;
      streams.push({
        ...on,
        installed: installCommand === undefined,
        installCommand,
        problem: (error as Error).message,
      });
      continue;
    }
    const built = problems.attempt(() => buildDestination(plugin, configured, gate));
    if (!built) {
      streams.push({ ...on, installed: true, problem: "invalid options" });
      continue;
    }
    const { spec, converted } = built;
    const description = spec.describe?.();
    const described = { ...on, name: spec.name, installed: true, description, secrets: spec.secrets ?? [] };
    if (!spec.enabled) {
      const why = description?.offReason ?? "the plugin reports it off";
      streams.push({ ...described, on: false, offBy: "config", reason: `${configured.reason}, but ${why}` });
      continue;
    }
    for (const problem of unresolvedProblems(configured, converted, gate.fileOf)) problems.add(problem);
    streams.push({ ...described, spec });
  }
  return { streams, pluginErrors };
}

/** A section's label before its plugin names the destination. */
function labelOf(stream: ConfiguredStream): string {
  if (stream.kind === "otlp" && typeof stream.written.name === "string") return stream.written.name;
  return stream.kind === "plugin" ? stream.packageName : stream.kind;
}

/** Throws a TelemetryConfigError of core's own classes, every key path as written in the file. */
function buildDestination(
  plugin: ExporterPlugin,
  stream: ConfiguredStream,
  gate: StreamGate,
): { spec: DestinationSpec; converted: ConvertedOptions } {
  const converted = convertOptions(
    stream.written,
    stream.optionsKeyPath,
    gate.fileOf,
    plugin.freeFormOptions,
  );
  if (converted.problems.length > 0) throw TelemetryConfigError.fromProblems(converted.problems);
  let spec: unknown;
  try {
    const ctx = { keyPath: stream.optionsKeyPath, file: stream.file, env: gate.env };
    spec = plugin.toDestination(converted.options, {}, ctx);
  } catch (error) {
    if (!isConfigErrorLike(error)) throw error;
    const problems = error.problems.map((p) => toFileProblem(p, stream, converted, gate.fileOf));
    throw (CONFIG_ERROR_CLASSES[error.name] ?? TelemetryConfigError).fromProblems(problems);
  }
  if (!isDestinationSpec(spec)) {
    throw new TelemetryConfigError(`the plugin "${stream.packageName}" did not return a destination`, {
      file: stream.file,
      keyPath: stream.keyPath,
      expected: "toDestination() to return a destination spec",
    });
  }
  return { spec, converted };
}

/** Core's own classes for the config errors a plugin may throw from another copy of core. */
const CONFIG_ERROR_CLASSES: Record<string, typeof TelemetryConfigError> = {
  LangfuseCredentialsError,
  InvalidEndpointError,
};

/**
 * A plugin's problem, pointed into the file: its camelCase key path becomes the key as written
 * (a plugin that forgot `ctx.keyPath` gets it prefixed), the file is the layer that set that
 * key, and a key the file set to an unset `${VAR}` says which variable to set.
 */
function toFileProblem(
  problem: ConfigProblem,
  stream: ConfiguredStream,
  converted: ConvertedOptions,
  fileOf: FileOf,
): ConfigProblem {
  const base = stream.optionsKeyPath;
  const raw = problem.keyPath;
  const under =
    raw === undefined || raw === ""
      ? base
      : raw === base || raw.startsWith(`${base}.`) || raw.startsWith(`${base}[`)
        ? raw
        : joinKeyPath(base, raw);
  const keyPath = converted.toWritten(under);
  const variable = converted.unset.get(keyPath);
  return {
    ...problem,
    file: fileOf(keyPath) ?? stream.file,
    keyPath,
    message:
      variable === undefined
        ? problem.message
        : `${problem.message}: the file sets it to \${${variable}}, and ${variable} is not set`,
  };
}

/** `${VAR}` left inside a longer value (`"Bearer ${OTLP_TOKEN}"`) of a stream that is on. */
function unresolvedProblems(
  stream: ConfiguredStream,
  converted: ConvertedOptions,
  fileOf: FileOf,
): ConfigProblem[] {
  return findUnresolved(stream.written, stream.optionsKeyPath)
    .filter((u) => !converted.unset.has(u.keyPath))
    .map((u) => ({
      file: fileOf(u.keyPath) ?? stream.file,
      keyPath: u.keyPath,
      message: `uses \${${u.variable}}, which is not set: set the environment variable ${u.variable}`,
      expected: "a resolved value",
    }));
}

/**
 * A plugin may import its own copy of core (another bundle, another install), so its
 * TelemetryConfigError is recognised by shape, not by class identity.
 */
function isConfigErrorLike(error: unknown): error is Error & { problems: readonly ConfigProblem[] } {
  if (error instanceof TelemetryConfigError) return true;
  return error instanceof Error && Array.isArray((error as { problems?: unknown }).problems);
}
