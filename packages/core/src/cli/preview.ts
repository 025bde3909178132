import type { Attributes } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { loadNodeHost } from "../config/node-host.js";
import { inspectTelemetryConfig, type ResolvedTelemetryConfig } from "../config/resolve-config.js";
import type { StreamReport } from "../config/streams.js";
import type { EnvSource } from "../kill-switch/do-not-track.js";
import type { Receives } from "../plugin/define-exporter.js";
import type { DestinationSpec } from "../plugin/destination-spec.js";
import { loadExporterPlugin } from "../plugin/load-plugin.js";
import { maskSecret } from "../plugin/logger.js";
import { createTelemetry } from "../telemetry/create-telemetry.js";
import { inMemoryDestination } from "../testing/in-memory.js";
import { runSampleWorkflow } from "../testing/sample-workflow.js";
import { type CapturedRequest, createCaptureFetch } from "./capture-fetch.js";
import type { CliContext } from "./context.js";
import { reportError } from "./report-error.js";
import { describeRedaction } from "./status.js";

export interface PreviewOptions {
  readonly json: boolean;
  readonly mode: string | undefined;
  /** Preview streams that the runtime mode turns off, as if it allowed them. */
  readonly all: boolean;
}

/** A span as a plugin that does not send through `context.fetch` would be given it. */
export interface PreviewSpan {
  name: string;
  kind: number;
  attributes: Attributes;
  events: { name: string; attributes: Attributes }[];
  status: { code: number; message?: string };
}

export interface PreviewStream {
  /** The destination name, as `stats()` uses it. */
  name: string;
  package: string;
  sendsTo: string | undefined;
  receives: Receives | undefined;
  redacts: string[];
  /** The requests its real exporter made against the capture fetch, bodies decoded. */
  requests?: CapturedRequest[];
  /** For a plugin that does not send through `context.fetch`: the spans it is given, redacted. */
  spans?: PreviewSpan[];
  /** Anything the reader must know about how this was produced. */
  notes: string[];
}

export const GATEWAY_PACKAGE = "@pipelex/telemetry-gateway-stream";
const NOT_THROUGH_TOOLKIT =
  "this plugin does not send through the delivery toolkit (context.fetch), so its requests cannot be captured: below are the spans it is given, after its redaction";

/**
 * Runs the built-in sample workflow (a pipe, an LLM call with prompt and completion, a failing
 * call whose error echoes the prompt) through each destination that is on, with its real
 * exporter sending to an in-process capture fetch: nothing leaves the machine, and what is
 * printed is the decoded request bodies. The config is validated exactly as `loadTelemetry`
 * validates it (same errors, exit 1).
 */
export async function runPreview(ctx: CliContext, options: PreviewOptions): Promise<number> {
  const { config, error } = await inspectTelemetryConfig({
    cwd: ctx.cwd,
    homeDir: ctx.homeDir,
    env: ctx.env,
    mode: options.mode,
    ignoreMode: options.all,
  });
  if (error) {
    reportError(ctx, error);
    return 1;
  }
  if (config.doNotTrack) {
    ctx.out(
      options.json
        ? JSON.stringify({ doNotTrack: true, streams: [] }, null, 2)
        : "DO_NOT_TRACK is set: nothing would leave this machine.",
    );
    return 0;
  }
  const streams = await previewStreams(config, ctx.env);
  const gateway = await previewGateway(config, ctx.env);
  if (gateway) streams.push(gateway);
  ctx.out(
    options.json
      ? JSON.stringify({ doNotTrack: false, streams }, null, 2)
      : formatPreview(config, streams, options.all),
  );
  return 0;
}

export async function previewStreams(
  config: ResolvedTelemetryConfig,
  env: EnvSource,
): Promise<PreviewStream[]> {
  const previews: PreviewStream[] = [];
  for (const stream of config.streams) {
    if (!stream.on || !stream.spec) continue;
    previews.push(await previewDestination(stream.spec, stream, env));
  }
  return previews;
}

async function previewDestination(
  spec: DestinationSpec,
  stream: Pick<StreamReport, "packageName" | "description">,
  env: EnvSource,
): Promise<PreviewStream> {
  const description = stream.description ?? spec.describe?.();
  const base = {
    name: spec.name,
    package: stream.packageName,
    sendsTo: description?.sendsTo,
    receives: description?.receives,
    redacts: describeRedaction(description?.redacts ?? []),
  };
  if (!spec.usesContextFetch) {
    const recorder = inMemoryDestination(spec.name, { redact: spec.redact });
    const telemetry = createTelemetry({ env: {}, destinations: [recorder.destination], logLevel: "silent" });
    await runSampleWorkflow(telemetry);
    await telemetry.shutdown({ timeoutMs: 2000 });
    return { ...base, spans: recorder.spans().map(toPreviewSpan), notes: [NOT_THROUGH_TOOLKIT] };
  }
  const notes: string[] = [];
  const previewSpec = spec.preview?.();
  if (previewSpec) {
    notes.push(
      "shown with the plugin's preview settings (e.g. OTLP as JSON, the gateway to a placeholder ingest): same content",
    );
  }
  const capture = createCaptureFetch();
  const telemetry = createTelemetry({
    env,
    destinations: [previewSpec ?? spec],
    logLevel: "silent",
    fetch: capture.fetch,
  });
  try {
    await telemetry.ready();
    await runSampleWorkflow(telemetry);
    await telemetry.forceFlush();
  } finally {
    await telemetry.shutdown({ timeoutMs: 2000 });
  }
  return { ...base, requests: maskSecrets(capture.requests, spec.secrets ?? []), notes };
}

/**
 * The gateway stream is set up in code, not in telemetry.toml; with PIPELEX_GATEWAY_API_KEY set
 * an app would start it, so preview shows its events too when the package is installed here.
 */
async function previewGateway(
  config: ResolvedTelemetryConfig,
  env: EnvSource,
): Promise<PreviewStream | undefined> {
  const key = env.PIPELEX_GATEWAY_API_KEY;
  if (key === undefined || key.trim() === "") return undefined;
  const base = {
    name: "gateway",
    package: GATEWAY_PACKAGE,
    sendsTo: undefined,
    receives: undefined,
    redacts: [],
  };
  let plugin: Awaited<ReturnType<typeof loadExporterPlugin>>;
  try {
    plugin = await loadExporterPlugin(await loadNodeHost(), GATEWAY_PACKAGE, config.cwd, env);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return {
      ...base,
      notes: [`PIPELEX_GATEWAY_API_KEY is set, but the gateway stream cannot be previewed: ${why}`],
    };
  }
  const spec = plugin.toDestination({ env });
  return previewDestination(spec, { packageName: GATEWAY_PACKAGE }, env);
}

/** Every secret the destination declared, masked wherever it appears in a captured body. */
function maskSecrets(requests: CapturedRequest[], secrets: readonly string[]): CapturedRequest[] {
  if (secrets.length === 0) return requests;
  const masked = JSON.stringify(requests, (_key, value: unknown) =>
    typeof value === "string"
      ? secrets.reduce((text, secret) => text.split(secret).join(maskSecret(secret)), value)
      : value,
  );
  return JSON.parse(masked) as CapturedRequest[];
}

function toPreviewSpan(span: ReadableSpan): PreviewSpan {
  return {
    name: span.name,
    kind: span.kind,
    attributes: span.attributes,
    events: span.events.map((e) => ({ name: e.name, attributes: e.attributes ?? {} })),
    status: span.status.message === undefined ? { code: span.status.code } : { ...span.status },
  };
}

const STATUS_NAMES = ["UNSET", "OK", "ERROR"];

function formatPreview(config: ResolvedTelemetryConfig, streams: PreviewStream[], all: boolean): string {
  const lines: string[] = [
    "Pipelex telemetry preview: the sample workflow, as each destination's exporter would send it (nothing was sent).",
    "",
  ];
  if (streams.length === 0) {
    lines.push("No stream is on: nothing would leave this machine.");
    for (const s of config.streams) lines.push(`  ${s.name}: off (${s.reason})`);
    if (config.streams.length > 0 && !all)
      lines.push("Use --all to preview them as if this mode allowed custom telemetry.");
    return lines.join("\n");
  }
  for (const stream of streams) {
    const to = stream.sendsTo ? ` -> ${stream.sendsTo}` : "";
    lines.push(`=== ${stream.name} (${stream.package})${to}`);
    if (stream.receives)
      lines.push(`    receives: ${stream.receives}; redacts: ${stream.redacts.join("; ")}`);
    for (const note of stream.notes) lines.push(`    note: ${note}`);
    for (const request of stream.requests ?? []) {
      lines.push(`  ${request.method} ${request.url}  ${request.contentType ?? ""}`.trimEnd());
      lines.push(indent(JSON.stringify(request.body, null, 2), "    "));
    }
    if (stream.requests?.length === 0) lines.push("  (no request was made)");
    for (const span of stream.spans ?? []) lines.push(...formatSpan(span));
    lines.push("");
  }
  return lines.join("\n");
}

function formatSpan(span: PreviewSpan): string[] {
  const lines = [`  span "${span.name}"`];
  for (const [key, value] of Object.entries(span.attributes))
    lines.push(`    ${key} = ${JSON.stringify(value)}`);
  for (const event of span.events) {
    lines.push(`    event ${event.name}`);
    for (const [key, value] of Object.entries(event.attributes)) {
      lines.push(`      ${key} = ${JSON.stringify(value)}`);
    }
  }
  const status = STATUS_NAMES[span.status.code] ?? String(span.status.code);
  const message = span.status.message !== undefined ? ` ${JSON.stringify(span.status.message)}` : "";
  lines.push(`    status ${status}${message}`);
  return lines;
}

function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line) => prefix + line)
    .join("\n");
}
