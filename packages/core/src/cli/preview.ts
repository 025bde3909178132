import type { Attributes } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { inspectTelemetryConfig, type ResolvedTelemetryConfig } from "../config/resolve-config.js";
import type { StreamReport } from "../config/streams.js";
import { createTelemetry } from "../telemetry/create-telemetry.js";
import { inMemoryDestination } from "../testing/in-memory.js";
import { runSampleWorkflow } from "../testing/sample-workflow.js";
import type { CliContext } from "./context.js";
import { reportError } from "./report-error.js";
import { describeRedaction } from "./status.js";

export interface PreviewOptions {
  readonly json: boolean;
  readonly mode: string | undefined;
  /** Preview every configured stream, including those that are off. */
  readonly all: boolean;
}

/** A span as it would leave the machine for one destination. */
export interface PreviewSpan {
  name: string;
  kind: number;
  attributes: Attributes;
  events: { name: string; attributes: Attributes }[];
  status: { code: number; message?: string };
}

export interface PreviewStream {
  name: string;
  kind: StreamReport["kind"];
  on: boolean;
  reason: string;
  redacts: string[];
  /** Undefined for plugins: their redaction is their own, not previewed. */
  spans: PreviewSpan[] | undefined;
}

/**
 * Runs the built-in sample workflow (a pipe, an LLM call with prompt and completion, a failing
 * call whose error echoes the prompt) through the redaction of each stream that is on, as its
 * plugin built it from the config, into in-memory recorders. Nothing is sent. The config is
 * validated exactly as `loadTelemetry` validates it (same errors, exit 1).
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
  const streams = await previewStreams(config);
  if (options.json) {
    ctx.out(JSON.stringify({ doNotTrack: config.doNotTrack, streams }, null, 2));
    return 0;
  }
  ctx.out(formatPreview(config, streams, options.all));
  return 0;
}

export async function previewStreams(config: ResolvedTelemetryConfig): Promise<PreviewStream[]> {
  const selected = config.streams.filter((s) => s.on && s.spec);
  const recorders = selected.map((stream) =>
    inMemoryDestination(stream.name, { redact: stream.spec!.redact }),
  );
  const active = recorders.filter((r) => r !== undefined);
  if (active.length > 0) {
    // A private env: the sample run must not be silenced by, or read, the caller's variables.
    const telemetry = createTelemetry({
      env: {},
      destinations: active.map((r) => r.destination),
      logLevel: "silent",
    });
    await runSampleWorkflow(telemetry);
    await telemetry.shutdown({ timeoutMs: 2000 });
  }
  return selected.map((stream, i) => ({
    name: stream.name,
    kind: stream.kind,
    on: stream.on,
    reason: stream.reason,
    redacts: describeRedaction(stream.description?.redacts ?? []),
    spans: recorders[i]?.spans().map(toPreviewSpan),
  }));
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
    "Pipelex telemetry preview: the sample workflow, as each destination would receive it.",
    "",
  ];
  if (config.doNotTrack) {
    lines.push("DO_NOT_TRACK is set: nothing would leave this machine.");
    return lines.join("\n");
  }
  if (streams.length === 0) {
    lines.push("No stream is on: nothing would leave this machine.");
    for (const s of config.streams) lines.push(`  ${s.name}: off (${s.reason})`);
    if (config.streams.length > 0 && !all)
      lines.push("Use --all to preview them as if this mode allowed custom telemetry.");
    return lines.join("\n");
  }
  for (const stream of streams) {
    lines.push(`=== ${stream.name} (${stream.kind}) ${stream.on ? "ON" : `OFF: ${stream.reason}`}`);
    lines.push(`    redacts: ${stream.redacts.join("; ")}`);
    if (stream.spans === undefined) {
      lines.push("    (a third-party plugin applies its own redaction: not previewed)", "");
      continue;
    }
    for (const span of stream.spans) {
      lines.push(`  span "${span.name}"`);
      for (const [key, value] of Object.entries(span.attributes))
        lines.push(`    ${key} = ${JSON.stringify(value)}`);
      for (const event of span.events) {
        lines.push(`    event ${event.name}`);
        for (const [key, value] of Object.entries(event.attributes)) {
          lines.push(`      ${key} = ${JSON.stringify(value)}`);
        }
      }
      const status = STATUS_NAMES[span.status.code] ?? String(span.status.code);
      lines.push(
        `    status ${status}${span.status.message !== undefined ? ` ${JSON.stringify(span.status.message)}` : ""}`,
      );
    }
    lines.push("");
  }
  return lines.join("\n");
}
