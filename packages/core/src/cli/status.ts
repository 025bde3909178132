import { loadNodeHost } from "../config/node-host.js";
import { unresolvedPlaceholder } from "../config/parse-options.js";
import { type ResolvedTelemetryConfig, resolveTelemetryConfig } from "../config/resolve-config.js";
import type { StreamReport } from "../config/streams.js";
import { resolvePackageEntry } from "../plugin/load-plugin.js";
import { maskSecret } from "../plugin/logger.js";
import type { CliContext } from "./context.js";

export interface StatusOptions {
  readonly json: boolean;
  readonly mode: string | undefined;
}

/** One stream as `status` shows it: no secret value, only masked forms. */
export interface StreamStatus {
  name: string;
  kind: StreamReport["kind"];
  package: string;
  installed: boolean;
  installCommand: string | undefined;
  section: string;
  file: string | undefined;
  on: boolean;
  offBy: StreamReport["offBy"] | undefined;
  reason: string;
  sendsTo: string;
  redacts: string[];
  secrets: Record<string, string>;
}

export interface StatusView {
  mode: string;
  modeSource: string;
  modeAllowed: boolean;
  doNotTrack: boolean;
  files: { layer: string; path: string; loaded: boolean; skipped: boolean; skipReason?: string }[];
  streams: StreamStatus[];
}

export async function runStatus(ctx: CliContext, options: StatusOptions): Promise<number> {
  const config = await resolveTelemetryConfig({
    cwd: ctx.cwd,
    homeDir: ctx.homeDir,
    env: ctx.env,
    mode: options.mode,
  });
  const view = await buildStatusView(config);
  ctx.out(options.json ? JSON.stringify(view, null, 2) : formatStatus(view));
  return 0;
}

export async function buildStatusView(config: ResolvedTelemetryConfig): Promise<StatusView> {
  const host = await loadNodeHost();
  const streams: StreamStatus[] = [];
  for (const stream of config.streams) {
    // Resolved, never imported: status must not run plugin code.
    const installed = await resolvePackageEntry(host, stream.packageName, config.cwd).then(
      () => true,
      () => false,
    );
    streams.push({
      name: stream.name,
      kind: stream.kind,
      package: stream.packageName,
      installed,
      installCommand: installed ? undefined : `pnpm add ${stream.packageName}`,
      section: stream.keyPath,
      file: stream.file,
      on: stream.on,
      offBy: stream.offBy,
      reason: stream.reason,
      sendsTo: stream.sendsTo,
      redacts: describeRedaction(stream),
      secrets: maskSecrets(stream.secrets),
    });
  }
  return {
    mode: config.mode,
    modeSource: config.modeSource,
    modeAllowed: config.modeAllowed,
    doNotTrack: config.doNotTrack,
    files: config.layers.map((l) => ({
      layer: l.layer,
      path: l.path,
      loaded: l.loaded,
      skipped: l.skipped === true,
      ...(l.skipReason !== undefined ? { skipReason: l.skipReason } : {}),
    })),
    streams,
  };
}

export function describeRedaction(stream: StreamReport): string[] {
  if (stream.redaction === undefined) return ["decided by the plugin"];
  const names = stream.redaction.map((r) => r.redactorName);
  if (stream.redactProperties && stream.redactProperties.length > 0) {
    names.push(`event properties: ${stream.redactProperties.join(", ")}`);
  }
  return names.length > 0 ? names : ["nothing (full span data)"];
}

/** `phc_…a1b2`; a value still holding `${VAR}` is shown as the placeholder, which is no secret. */
function maskSecrets(secrets: Readonly<Record<string, string>>): Record<string, string> {
  const masked: Record<string, string> = {};
  for (const [key, value] of Object.entries(secrets)) {
    const variable = unresolvedPlaceholder(value);
    masked[key] = variable !== undefined ? `\${${variable}} (not set)` : maskSecret(value);
  }
  return masked;
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
  lines.push(`  DO_NOT_TRACK  ${view.doNotTrack ? "set: every stream is off" : "not set"}`);
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
    // Installation matters only for a stream that is on: an off section imports nothing.
    const missing = s.on && !s.installed ? `  (NOT INSTALLED: run ${s.installCommand})` : "";
    lines.push(`    package     ${s.package}${missing}`);
    lines.push(`    section     [${s.section}] in ${s.file ?? "?"}`);
    lines.push(`    sends to    ${s.sendsTo}`);
    lines.push(`    redacts     ${s.redacts.join("; ")}`);
    for (const [key, masked] of Object.entries(s.secrets)) lines.push(`    secret      ${key} = ${masked}`);
  }
  lines.push("", GATEWAY_NOTE);
  return lines.join("\n");
}
