import { inspectTelemetryConfig, type ResolvedTelemetryConfig } from "../config/resolve-config.js";
import type { StreamReport } from "../config/streams.js";
import { type EnvSource, isDoNotTrack } from "../kill-switch/do-not-track.js";
import type { Receives } from "../plugin/define-exporter.js";
import { maskSecret } from "../plugin/logger.js";
import type { CliContext } from "./context.js";
import { reportError } from "./report-error.js";

export interface StatusOptions {
  readonly json: boolean;
  readonly mode: string | undefined;
}

/** One stream as `status` shows it: no secret value, only masked forms. */
export interface StreamStatus {
  /** The destination name, as `stats()` and the logs use it. */
  name: string;
  kind: StreamReport["kind"];
  package: string;
  installed: boolean | undefined;
  installCommand: string | undefined;
  section: string;
  file: string | undefined;
  on: boolean;
  offBy: StreamReport["offBy"] | undefined;
  reason: string;
  /** From the plugin's `describe`; undefined when the plugin was not loaded (the stream is off). */
  sendsTo: string | undefined;
  receives: Receives | undefined;
  redacts: string[];
  details: Record<string, string | number | boolean>;
  secrets: string[];
  /** Why the stream cannot start; the whole error is printed after the streams. */
  problem: string | undefined;
}

export interface StatusView {
  mode: string;
  modeSource: string;
  modeAllowed: boolean;
  doNotTrack: boolean;
  /** `DO_NOT_TRACK` as written when it is present, for "set, counts as off". */
  doNotTrackValue: string | undefined;
  schemaVersion: number | string | undefined;
  files: { layer: string; path: string; loaded: boolean; skipped: boolean; skipReason?: string }[];
  streams: StreamStatus[];
  /** What `loadTelemetry` would throw for this configuration. */
  error: { name: string; message: string } | undefined;
}

/** Exit 1 when `loadTelemetry` would throw for this configuration, as it does. */
export async function runStatus(ctx: CliContext, options: StatusOptions): Promise<number> {
  const { config, error } = await inspectTelemetryConfig({
    cwd: ctx.cwd,
    homeDir: ctx.homeDir,
    env: ctx.env,
    mode: options.mode,
  });
  const view = buildStatusView(config, ctx.env, error);
  ctx.out(options.json ? JSON.stringify(view, null, 2) : formatStatus(view));
  if (!error) return 0;
  reportError(ctx, error);
  return 1;
}

export function buildStatusView(config: ResolvedTelemetryConfig, env: EnvSource, error?: Error): StatusView {
  return {
    mode: config.mode,
    modeSource: config.modeSource,
    modeAllowed: config.modeAllowed,
    doNotTrack: config.doNotTrack,
    doNotTrackValue: env.DO_NOT_TRACK,
    schemaVersion: config.schemaVersion,
    files: config.layers.map((l) => ({
      layer: l.layer,
      path: l.path,
      loaded: l.loaded,
      skipped: l.skipped === true,
      ...(l.skipReason !== undefined ? { skipReason: l.skipReason } : {}),
    })),
    streams: config.streams.map(toStreamStatus),
    error: error ? { name: error.name, message: error.message } : undefined,
  };
}

function toStreamStatus(stream: StreamReport): StreamStatus {
  const description = stream.description && maskDeclaredSecrets(stream.description, stream.secrets);
  const details: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(description?.details ?? {})) {
    if (value !== undefined) details[key] = value;
  }
  return {
    name: stream.name,
    kind: stream.kind,
    package: stream.packageName,
    installed: stream.installed,
    installCommand: stream.installCommand,
    section: stream.keyPath,
    file: stream.file,
    on: stream.on,
    offBy: stream.offBy,
    reason: stream.reason,
    sendsTo: description?.sendsTo,
    receives: description?.receives,
    redacts: description ? describeRedaction(description.redacts) : [],
    details,
    secrets: stream.secrets.map(maskSecret),
    problem: stream.problem,
  };
}

/** A plugin that puts a declared secret into its description still gets it masked. */
function maskDeclaredSecrets<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  const masked = JSON.stringify(value, (_key, item: unknown) =>
    typeof item === "string"
      ? secrets.reduce((text, secret) => text.split(secret).join(maskSecret(secret)), item)
      : item,
  );
  return JSON.parse(masked) as T;
}

export function describeRedaction(redacts: readonly string[]): string[] {
  return redacts.length > 0 ? [...redacts] : ["nothing (full span data)"];
}

/** `not set`, `set: every stream is off`, or `DO_NOT_TRACK=0 (set, counts as off)`. */
export function describeDoNotTrack(value: string | undefined): string {
  if (value === undefined) return "not set";
  if (isDoNotTrack({ DO_NOT_TRACK: value })) return "set: every stream is off";
  return `DO_NOT_TRACK=${JSON.stringify(value).slice(1, -1).slice(0, 20)} (set, counts as off)`;
}

// The gateway stream is built in code (gatewayStream()), not from this file, so status can
// only say how it relates to the switches it does show.
const GATEWAY_NOTE =
  "The gateway stream, where an app uses the hosted gateway, is set up in code (gatewayStream()), not in telemetry.toml; " +
  "it sends metadata only, and DO_NOT_TRACK stops it and the gateway with it.";

export function formatStatus(view: StatusView): string {
  const lines: string[] = ["Pipelex telemetry status", ""];
  const modeState = view.modeAllowed ? "allowed" : "custom telemetry off in this mode";
  lines.push(
    `  mode          ${view.mode} (${view.modeSource === "option" ? "--mode" : view.modeSource}; ${modeState})`,
  );
  lines.push(`  DO_NOT_TRACK  ${describeDoNotTrack(view.doNotTrackValue)}`);
  if (view.schemaVersion !== undefined)
    lines.push(`  schema        [meta] schema_version = ${view.schemaVersion}`);
  lines.push("  config files");
  for (const file of view.files) {
    const state = file.skipped
      ? `skipped${file.skipReason ? ` (${file.skipReason})` : ""}`
      : file.loaded
        ? "loaded"
        : "not found";
    lines.push(`    ${file.layer.padEnd(17)} ${file.path}  [${state}]`);
  }
  lines.push("");
  if (view.streams.length === 0) {
    lines.push("No stream is configured: nothing is sent. Create a config with: pipelex-telemetry init");
    return lines.join("\n");
  }
  lines.push("Streams");
  for (const s of view.streams) {
    lines.push(`  ${s.name}  ${s.on ? "ON " : "OFF"}  ${s.reason}`);
    const missing = s.installed === false ? `  (NOT INSTALLED: run ${s.installCommand})` : "";
    lines.push(`    package     ${s.package}${missing}`);
    lines.push(`    section     [${s.section}] in ${s.file ?? "?"}`);
    if (s.problem !== undefined && s.installed !== false)
      lines.push(`    problem     ${firstLine(s.problem)}`);
    if (s.sendsTo === undefined) continue;
    lines.push(`    sends to    ${s.sendsTo}`);
    lines.push(`    receives    ${s.receives}`);
    lines.push(`    redacts     ${s.redacts.join("; ")}`);
    for (const [key, value] of Object.entries(s.details)) lines.push(`    ${key.padEnd(11)} ${value}`);
    if (s.secrets.length > 0) lines.push(`    secrets     ${s.secrets.join(", ")}`);
  }
  lines.push("", GATEWAY_NOTE);
  return lines.join("\n");
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? "";
}
