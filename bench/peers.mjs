// Each exporter against what a user would pick instead, doing the same work: the same workflow
// (2 KB prompts), the same spans or events and content, each side sending real HTTP requests to
// a discarding loopback receiver in a child process (so the receiver's work is not counted).
// Also counts the bytes each destination puts on the wire per workflow.
import { fork } from "node:child_process";
import { randomUUID } from "node:crypto";
import { LangfuseSpanProcessor } from "@langfuse/otel";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import {
  createStringMasker,
  createTelemetry,
  destination,
  dropContent,
  maskPatterns,
  redactClassNames,
  redactPipeCodes,
} from "@pipelex/telemetry-core";
import { langfuse } from "@pipelex/telemetry-exporter-langfuse";
import { otlp } from "@pipelex/telemetry-exporter-otlp";
import { posthog } from "@pipelex/telemetry-exporter-posthog";
import { PostHog } from "posthog-node";
import { createBaseline, discardingExporter, hostWork, pipelexWorkflow } from "./workflows.mjs";

/** Starts the receiver; resolves with its base URL and a stats/reset/stop handle. */
export async function startReceiver() {
  const child = fork(new URL("./receiver.mjs", import.meta.url), { stdio: "ignore" });
  const { port } = await new Promise((resolve) => child.once("message", resolve));
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    stats: async () => (await fetch(`${url}/stats`)).json(),
    reset: () => fetch(`${url}/reset`, { method: "POST" }).then((r) => r.text()),
    stop: () => child.disconnect(),
  };
}

const POSTHOG_KEY = "phc_benchbenchbenchbenchbenchbench";
const LANGFUSE_KEYS = { publicKey: "pk-lf-bench", secretKey: "sk-lf-bench" };

function ours(destinations, content) {
  const telemetry = createTelemetry({ env: {}, logLevel: "silent", destinations });
  return {
    workflow: pipelexWorkflow(telemetry, content),
    flush: () => telemetry.forceFlush(),
    shutdown: () => telemetry.shutdown(),
  };
}

// --- PostHog --------------------------------------------------------------------------------------
export const posthogOurs = (url, content) =>
  ours(
    [
      posthog({
        mode: "anonymous",
        endpoint: `${url}/ours-posthog`,
        apiKey: POSTHOG_KEY,
        tracing: { enabled: true },
        // The same batching as the hand-written client below.
        flushAt: 100,
        maxBatchSize: 100,
      }),
    ],
    content,
  );

const hex = (bytes) =>
  randomUUID()
    .replaceAll("-", "")
    .slice(0, bytes * 2);

/**
 * posthog-node by hand, as its LLM-analytics docs show: per workflow a trace `$ai_span`, the
 * pipe's `$ai_span` and one `$ai_generation` per call, with the properties our destination sends.
 * privacyMode: what PostHog's own integrations would then leave out (prompts and completions)
 * is left out here too, as our destination's default policy does.
 */
export function posthogPeer(url, content) {
  const client = new PostHog(POSTHOG_KEY, {
    host: `${url}/peer-posthog`,
    flushAt: 100,
    maxBatchSize: 100,
    flushInterval: 0,
    privacyMode: true,
    disableGeoip: true,
  });
  const distinctId = randomUUID();
  const common = {
    $ai_lib: "bench",
    $ai_lib_version: "0",
    pipelex_pipe_type: "PipeLLM",
    pipelex_pipe_code: "summarize",
  };
  async function workflow(i) {
    const traceId = hex(16);
    const pipeId = hex(8);
    const capture = (event, properties) =>
      client.capture({
        distinctId,
        event,
        properties: { ...common, $ai_trace_id: traceId, $ai_is_error: false, ...properties },
      });
    const started = performance.now();
    capture("$ai_span", {
      $ai_span_id: traceId,
      $ai_span_name: "summarize",
      $ai_trace_name: "summarize",
      $ai_latency: 0,
    });
    let result = 0;
    for (const { prompt } of content[i % content.length]) {
      const callStarted = performance.now();
      JSON.stringify(prompt); // what the span side serializes; privacyMode then leaves it out
      result += await hostWork(prompt, i);
      capture("$ai_generation", {
        $ai_span_id: hex(8),
        $ai_parent_id: pipeId,
        $ai_span_name: "summarize: (gpt-4o) -> text",
        $ai_latency: (performance.now() - callStarted) / 1000,
        $ai_model: "gpt-4o",
        $ai_provider: "openai",
        $ai_model_parameters: { temperature: 0.2, max_tokens: 500 },
        $ai_input_tokens: 420,
        $ai_output_tokens: 170,
        pipelex_outcome: "success",
        pipelex_request_model: "gpt-4o",
        pipelex_operation: "chat",
        pipelex_output_type: "text",
      });
    }
    capture("$ai_span", {
      $ai_span_id: pipeId,
      $ai_span_name: "PipeLLM: summarize",
      $ai_latency: (performance.now() - started) / 1000,
      pipelex_outcome: "success",
      pipelex_pipe_category: "PipeOperator",
    });
    return result;
  }
  return { workflow, flush: () => client.flush(), shutdown: () => client.shutdown() };
}

// --- Langfuse -------------------------------------------------------------------------------------
export const langfuseOurs = (url, content) =>
  ours(
    [
      langfuse({
        enabled: true,
        endpoint: `${url}/ours-langfuse`,
        ...LANGFUSE_KEYS,
        redact: [maskPatterns()],
      }),
    ],
    content,
  );

/**
 * Langfuse's own span processor on bare OpenTelemetry, the same spans, content where its `mask`
 * sees it (observation input/output), masked by the same string masker our destination uses.
 */
export function langfusePeer(url, content) {
  const mask = createStringMasker();
  return createBaseline(content, {
    processor: new LangfuseSpanProcessor({
      ...LANGFUSE_KEYS,
      baseUrl: `${url}/peer-langfuse`,
      mask: ({ data }) => (typeof data === "string" ? mask(data) : data),
      shouldExportSpan: () => true, // its default filter would drop the pipe span
    }),
    inputKey: "langfuse.observation.input",
    outputKey: "langfuse.observation.output",
    pipeAttributes: { "langfuse.observation.type": "span" },
    callAttributes: { "langfuse.observation.type": "generation" },
  });
}

// --- OTLP -----------------------------------------------------------------------------------------
export const otlpOurs = (url, content, compression = "none") =>
  ours([otlp({ name: "otlp", endpoint: `${url}/ours-otlp/v1/traces`, compression })], content);

/** BasicTracerProvider + BatchSpanProcessor + the official OTLP/HTTP protobuf exporter. */
export const otlpPeer = (url, content, compression = "none") =>
  createBaseline(content, {
    processor: new BatchSpanProcessor(
      new OTLPTraceExporter({ url: `${url}/peer-otlp/v1/traces`, compression }),
    ),
  });

/**
 * Core's share of "ours": the same destination policy into a discarding exporter (spans, context,
 * redaction, queue and accounting, no exporter work), to split where our extra time goes.
 */
const coreShare = (redact) => (_url, content) =>
  ours([destination({ name: "core-share", exporter: discardingExporter(), redact: redact() })], content);

export const PEERS = {
  posthog: {
    ours: posthogOurs,
    peer: posthogPeer,
    core: coreShare(() => [dropContent(), redactPipeCodes(), redactClassNames()]),
    name: "posthog-node by hand",
  },
  langfuse: {
    ours: langfuseOurs,
    peer: langfusePeer,
    core: coreShare(() => [maskPatterns()]),
    name: "@langfuse/otel LangfuseSpanProcessor",
  },
  otlp: {
    ours: otlpOurs,
    peer: otlpPeer,
    core: coreShare(() => []),
    name: "sdk-trace-base + OTLP/HTTP protobuf exporter",
  },
};

/**
 * Bytes per workflow on the wire for each side of each pair: `workflows` workflows, flushed,
 * then the receiver's counts. OTLP has a compression switch on both sides and is run both ways;
 * for the others the gzip figure is what gzip makes of the bodies they sent.
 */
export async function measureWire(receiver, content, workflows) {
  const rows = [];
  const runs = [
    ["PostHog (ours)", "ours-posthog", () => posthogOurs(receiver.url, content)],
    ["PostHog (posthog-node by hand)", "peer-posthog", () => posthogPeer(receiver.url, content)],
    ["Langfuse (ours)", "ours-langfuse", () => langfuseOurs(receiver.url, content)],
    ["Langfuse (@langfuse/otel)", "peer-langfuse", () => langfusePeer(receiver.url, content)],
    ["OTLP (ours)", "ours-otlp", () => otlpOurs(receiver.url, content, "none")],
    ["OTLP (ours, gzip)", "ours-otlp", () => otlpOurs(receiver.url, content, "gzip")],
    ["OTLP (official exporter)", "peer-otlp", () => otlpPeer(receiver.url, content, "none")],
    ["OTLP (official exporter, gzip)", "peer-otlp", () => otlpPeer(receiver.url, content, "gzip")],
  ];
  for (const [name, label, make] of runs) {
    await receiver.reset();
    const side = make();
    for (let i = 0; i < workflows; i++) await side.workflow(i);
    await side.flush();
    await side.shutdown();
    const s = (await receiver.stats())[label] ?? { requests: 0, bytes: 0, gzipBytes: 0, sentGzipped: false };
    rows.push({
      name,
      requests: s.requests,
      bytesPerWorkflow: s.bytes / workflows,
      gzipBytesPerWorkflow: s.gzipBytes / workflows,
      sentGzipped: s.sentGzipped,
    });
  }
  return rows;
}
