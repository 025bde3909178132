// pnpm demo: one sample workflow, exported through every destination to receivers on
// 127.0.0.1 that check the wire format like the real services, then a printout of what each
// destination received. Nothing leaves this machine.
//   node demo/run.mjs          the report
//   node demo/run.mjs --check  the same, and exit 1 if any destination received other than
//                              what its privacy policy allows (run by `pnpm test`)
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  destination,
  dropContent,
  ExportResultCode,
  loadTelemetry,
  maskPatterns,
  REDACTED_CLASS_NAME,
  toTelemetrySpan,
} from "@pipelex/telemetry-core";
import { runSampleWorkflow, SAMPLE_CONTENT } from "@pipelex/telemetry-core/testing";
import { gatewayStream } from "@pipelex/telemetry-gateway-stream";
import {
  langfuseObservation,
  startGatewayReceiver,
  startHttpReceiver,
  startLangfuseReceiver,
  startOtlpReceiver,
  startPosthogReceiver,
} from "@pipelex/test-receivers";
import { progress, table } from "./format.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "pipelex-demo-"));
const check = process.argv.includes("--check");
const started = Date.now();

// --- the local stand-ins for PostHog, Langfuse, an OTLP collector and the gateway ------------
progress("starting local receivers");
const secrets = {
  posthogKey: "phc_demo0project0key0a1b2",
  langfusePublic: "pk-lf-demo-public",
  langfuseSecret: "sk-lf-demo-secret-0000",
  otlpToken: "demo-collector-token",
  gatewayKey: "pgw_demo_gateway_key_0001",
  webhookToken: "whk_demo_token_0001",
};
const posthogReceiver = await startPosthogReceiver({ projectKey: secrets.posthogKey });
const langfuseReceiver = await startLangfuseReceiver({
  publicKey: secrets.langfusePublic,
  secretKey: secrets.langfuseSecret,
});
const otlpReceiver = await startOtlpReceiver();
const gatewayReceiver = await startGatewayReceiver();
const webhookReceiver = await startHttpReceiver();

// A custom destination written in app code: any OTel SpanExporter, with its own redaction.
const mine = [];
const myExporter = {
  export(spans, done) {
    mine.push(...spans);
    done({ code: ExportResultCode.SUCCESS });
  },
  shutdown: async () => {},
};

const env = {
  POSTHOG_ENDPOINT: posthogReceiver.url,
  POSTHOG_API_KEY: secrets.posthogKey,
  LANGFUSE_BASE_URL: langfuseReceiver.url,
  LANGFUSE_PUBLIC_KEY: secrets.langfusePublic,
  LANGFUSE_SECRET_KEY: secrets.langfuseSecret,
  OTLP_ENDPOINT: otlpReceiver.tracesUrl,
  OTLP_TOKEN: secrets.otlpToken,
  WEBHOOK_ENDPOINT: `${webhookReceiver.url}/hooks/spans`,
  WEBHOOK_TOKEN: secrets.webhookToken,
  PIPELEX_REMOTE_CONFIG_URL: gatewayReceiver.remoteConfigUrl,
  PATH: process.env.PATH,
};

// --- telemetry from .pipelex/telemetry.toml, plus code destinations ---------------------------
progress("loading demo/.pipelex/telemetry.toml");
const telemetry = await loadTelemetry({
  cwd: here,
  homeDir: scratch, // an empty home: only the demo's project config applies
  env,
  mode: "cli",
  destinations: [
    destination({ name: "mine", exporter: myExporter, redact: [dropContent(), maskPatterns()] }),
    gatewayStream({ apiKey: secrets.gatewayKey, env }),
  ],
});

progress("running the sample workflow");
await runSampleWorkflow(telemetry, "run-demo-0001");
progress("delivering to six destinations");
await telemetry.forceFlush();
const report = await telemetry.shutdown({ timeoutMs: 5000 });
progress(null);

// --- what each destination received -----------------------------------------------------------
const sensitive = {
  prompt: "Summarize the contract",
  completion: "renews yearly",
  "error text": "Prompt too long",
  "pipe code": SAMPLE_CONTENT.pipeCode,
  "class name": SAMPLE_CONTENT.className,
  "gateway key": secrets.gatewayKey,
};
const reached = (text) =>
  Object.fromEntries(Object.entries(sensitive).map(([what, n]) => [what, text.includes(n)]));
const matrix = {};
const out = [];
const print = (s = "") => out.push(s);

// A class name that was redacted reads `Object` in span names (as in the Python implementation);
// say so instead of showing a class that does not exist.
const shownName = (name) =>
  String(name ?? "").replace(new RegExp(`-> ${REDACTED_CLASS_NAME}$`), "-> [class name redacted]");
// Decoded OTLP carries 64-bit integers as BigInt.
const json = (value) => JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v));
const stats = report.destinations;

const section = (key, title, receives, statsOf, received) => {
  const s = statsOf ?? {};
  const dropped = Object.entries(s.dropped ?? {})
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `, dropped ${n} (${k})`)
    .join("");
  print();
  print(`── ${title} ${"─".repeat(Math.max(3, 96 - title.length))}`);
  print(`   receives: ${receives}    spans delivered: ${s.exported ?? 0}${dropped}`);
  matrix[key] = reached(received);
};
const reachedLine = (key) =>
  print(
    `   reached it: ${Object.entries(matrix[key])
      .map(([what, sent]) => `${what} ${sent ? "SENT" : "-"}`)
      .join("   ")}`,
  );

print("Pipelex telemetry demo: one workflow, six destinations, every receiver on 127.0.0.1");
print();
print(`The workflow: pipe "${SAMPLE_CONTENT.pipeCode}" (PipeLLM) making two LLM calls`);
print(`  job-1  gpt-4o       prompt -> completion, structured output class ${SAMPLE_CONTENT.className}`);
print("  job-2  gpt-4o-mini  fails with a provider error whose message echoes the prompt");
print();
print("Legend  'reached it' checks six sensitive items of the workflow in what the destination received:");
print("        SENT = it arrived there,  - = it did not (redacted, or never sent)");
print("        spans delivered: the destination's own count;  PostHog sends events, built from the spans");

// PostHog
section(
  "posthog",
  "PostHog  [custom_posthog] anonymous mode",
  "events with content, pipe codes and class names redacted (its default)",
  stats.posthog,
  posthogReceiver.bodies.map(String).join("\n"),
);
print(
  table(
    ["event", "what it is", "name", "model", "tokens in/out", "error"],
    posthogReceiver.events.map((e) => {
      const p = e.properties;
      const kind = p.pipelex_trace_start ? "trace start" : e.event === "$ai_generation" ? "LLM call" : "pipe";
      return [
        e.event,
        kind,
        p.pipelex_trace_start ? `trace ${p.$ai_trace_name}` : shownName(p.$ai_span_name),
        p.$ai_model ?? "",
        p.$ai_input_tokens === undefined ? "" : `${p.$ai_input_tokens}/${p.$ai_output_tokens}`,
        p.$ai_is_error ? "yes" : "",
      ];
    }),
  ),
);
reachedLine("posthog");

// Langfuse
section(
  "langfuse",
  "Langfuse  [langfuse]",
  "full data (your own store)",
  stats.langfuse,
  json(langfuseReceiver.acceptedSpans()),
);
print(
  table(
    ["observation", "name", "model", "input", "output"],
    langfuseReceiver.acceptedSpans().map((span) => {
      const o = langfuseObservation(span);
      return [o.type, shownName(span.name), o.model ?? "", o.input ? "yes" : "", o.output ? "yes" : ""];
    }),
  ),
);
reachedLine("langfuse");

// OTLP
section(
  "otlp",
  "OTLP collector  [[otlp]] collector",
  "full data (your own store)",
  stats.collector,
  json(otlpReceiver.acceptedSpans()),
);
const otlpSpans = otlpReceiver.acceptedSpans();
const pipeSpanId = otlpSpans.find((s) => !s.parentSpanId)?.spanId;
print(
  table(
    ["span", "parent", "model", "error"],
    otlpSpans.map((span) => [
      shownName(span.name),
      !span.parentSpanId ? "(root)" : span.parentSpanId === pipeSpanId ? "the pipe" : span.parentSpanId,
      String(span.attributes["gen_ai.request.model"] ?? ""),
      String(span.attributes["error.type"] ?? ""),
    ]),
  ),
);
const auth = otlpReceiver.exports[0]?.request.headers.authorization;
print(
  `   Authorization header: ${auth === `Bearer ${secrets.otlpToken}` ? "received, as configured" : "MISSING"}`,
);
reachedLine("otlp");

// Third-party plugin
const webhookBodies = webhookReceiver.requests.map((r) => r.body.toString("utf8"));
section(
  "plugin",
  "Third-party plugin  pipelex-telemetry-exporter-example (a webhook, include_content = true)",
  "full data (include_content = true turns its default content redaction off)",
  stats.webhook,
  webhookBodies.join("\n"),
);
print(
  table(
    ["span posted"],
    webhookBodies.flatMap((b) => JSON.parse(b).spans.map((s) => [shownName(s.name)])),
  ),
);
reachedLine("plugin");

// Code destination
section(
  "mine",
  "Code destination  destination({ name: 'mine', redact: [dropContent(), maskPatterns()] })",
  "spans with content dropped and patterns masked",
  stats.mine,
  JSON.stringify(mine.map(toTelemetrySpan)),
);
print(
  table(
    ["span", "outcome", "error"],
    mine.map(toTelemetrySpan).map((v) => [shownName(v.name), v.outcome, v.error?.type ?? ""]),
  ),
);
reachedLine("mine");

// Gateway
const gatewayEvents = gatewayReceiver.events();
section(
  "gateway",
  "Gateway stream  (mandatory for gateway users)",
  "metadata only, from a fixed allowlist; PostHog batch format",
  stats["pipelex-gateway"],
  gatewayReceiver
    .ingestRequests()
    .map((r) => String(r.body))
    .join("\n"),
);
print(`   distinct_id ${gatewayEvents[0]?.distinct_id ?? "-"} (a hash of the gateway key), on every event`);
print(
  table(
    ["event", "pipe type", "outcome", "model", "provider", "tokens in/out", "latency", "error"],
    gatewayEvents.map(({ event, properties: p }) => [
      event,
      p.pipelex_pipe_type ?? "",
      p.pipelex_outcome ?? "",
      p.$ai_model ?? "",
      p.$ai_provider ?? "",
      p.$ai_input_tokens === undefined ? "" : `${p.$ai_input_tokens}/${p.$ai_output_tokens}`,
      p.$ai_latency === undefined ? "" : `${Math.round(p.$ai_latency * 1000)} ms`,
      [p.pipelex_error_type, p.pipelex_error_code, p.$ai_http_status && `HTTP ${p.$ai_http_status}`]
        .filter(Boolean)
        .join(", "),
    ]),
  ),
);
reachedLine("gateway");

print();
print(
  `Done in ${((Date.now() - started) / 1000).toFixed(1)} s; shutdown ${report.complete ? "complete" : "TIMED OUT"} in ${report.durationMs} ms. Nothing left this machine.`,
);

await Promise.all([
  posthogReceiver.close(),
  langfuseReceiver.close(),
  otlpReceiver.close(),
  gatewayReceiver.close(),
  webhookReceiver.close(),
]);

// --- --check: what each destination's policy allows ------------------------------------------
const nothing = {
  prompt: false,
  completion: false,
  "error text": false,
  "pipe code": false,
  "class name": false,
};
const everything = {
  prompt: true,
  completion: true,
  "error text": true,
  "pipe code": true,
  "class name": true,
};
const expected = {
  posthog: nothing,
  langfuse: everything,
  otlp: everything,
  plugin: everything,
  mine: { ...nothing, "pipe code": true, "class name": true },
  gateway: nothing,
};
const problems = Object.entries(expected).flatMap(([key, want]) =>
  Object.entries({ ...want, "gateway key": false })
    .filter(([what, sent]) => matrix[key]?.[what] !== sent)
    .map(([what, sent]) => `${key}: ${what} expected ${sent ? "SENT" : "-"}`),
);
if (!report.complete) problems.push("shutdown did not complete");
if (!auth) problems.push("otlp: Authorization header missing");

console.log(out.join("\n"));
if (check && problems.length > 0) {
  console.log(`\ndemo --check failed:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
