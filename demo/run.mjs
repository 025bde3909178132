// pnpm demo: one sample workflow, exported through every destination to receivers on
// 127.0.0.1 that check the wire format like the real services, then a printout of what each
// destination received. Nothing leaves this machine.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ExportResultCode } from "@opentelemetry/core";
import {
  destination,
  dropContent,
  loadTelemetry,
  maskPatterns,
  toTelemetrySpan,
} from "@pipelex/telemetry-core";
import { runSampleWorkflow, SAMPLE_CONTENT } from "@pipelex/telemetry-core/testing";
import { gatewayStream } from "@pipelex/telemetry-gateway-stream";
import {
  langfuseObservation,
  startGatewayReceiver,
  startLangfuseReceiver,
  startOtlpReceiver,
  startPosthogReceiver,
} from "@pipelex/test-receivers";

const here = dirname(fileURLToPath(import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "pipelex-demo-"));

// --- the local stand-ins for PostHog, Langfuse, an OTLP collector and the gateway ------------
const secrets = {
  posthogKey: "phc_demo0project0key0a1b2",
  langfusePublic: "pk-lf-demo-public",
  langfuseSecret: "sk-lf-demo-secret-0000",
  otlpToken: "demo-collector-token",
  gatewayKey: "pgw_demo_gateway_key_0001",
};
const posthogReceiver = await startPosthogReceiver({ projectKey: secrets.posthogKey });
const langfuseReceiver = await startLangfuseReceiver({
  publicKey: secrets.langfusePublic,
  secretKey: secrets.langfuseSecret,
});
const otlpReceiver = await startOtlpReceiver();
const gatewayReceiver = await startGatewayReceiver();

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
  DEMO_JSONL_PATH: join(scratch, "spans.jsonl"),
  PIPELEX_REMOTE_CONFIG_URL: gatewayReceiver.remoteConfigUrl,
  PATH: process.env.PATH,
};

// --- telemetry from .pipelex/telemetry.toml, plus code destinations ---------------------------
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

await runSampleWorkflow(telemetry, "run-demo-0001");
await telemetry.forceFlush();
const report = await telemetry.shutdown({ timeoutMs: 5000 });

// --- what each destination received -----------------------------------------------------------
const sensitive = {
  prompt: "Summarize the contract",
  completion: "renews yearly",
  "error text": "Prompt too long",
  "pipe code": SAMPLE_CONTENT.pipeCode,
  "class name": SAMPLE_CONTENT.className,
  "gateway key": secrets.gatewayKey,
};
const leaks = (text) =>
  Object.entries(sensitive)
    .map(([what, needle]) => `${what}: ${text.includes(needle) ? "SENT" : "-"}`)
    .join("  ");
const line = (s) => console.log(`  ${s}`);
// Decoded OTLP carries 64-bit integers as BigInt.
const json = (value) => JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v));
const section = (title, stats) => {
  const dropped = Object.entries(stats?.dropped ?? {})
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
  console.log(`\n== ${title}  [exported ${stats?.exported ?? 0}${dropped ? `, dropped ${dropped}` : ""}]`);
};
const stats = report.destinations;
const attr = (a, k) => (a[k] === undefined ? "" : ` ${k.split(".").pop()}=${JSON.stringify(a[k])}`);

section("PostHog (custom_posthog, anonymous, content/pipe codes/class names redacted)", stats.posthog);
for (const e of posthogReceiver.events) {
  const p = e.properties;
  line(
    `${e.event.padEnd(14)} ${String(p.$ai_span_name ?? p.$ai_trace_name ?? "").padEnd(40)} model=${p.$ai_model ?? "-"} ` +
      `tokens=${p.$ai_input_tokens ?? "-"}/${p.$ai_output_tokens ?? "-"} error=${p.$ai_is_error ?? false} input=${p.$ai_input === undefined ? "-" : "present"}`,
  );
}
line(leaks(posthogReceiver.bodies.map(String).join("\n")));

section("Langfuse (full data by design)", stats.langfuse);
for (const span of langfuseReceiver.acceptedSpans()) {
  const o = langfuseObservation(span);
  line(
    `${String(o.type).padEnd(10)} ${span.name.padEnd(52)} model=${o.model ?? "-"} input=${o.input ? "present" : "-"}`,
  );
}
line(leaks(json(langfuseReceiver.acceptedSpans())));

section("OTLP collector (full data by design; Authorization header checked)", stats.collector);
for (const span of otlpReceiver.acceptedSpans()) {
  line(
    `${span.name.padEnd(52)} parent=${span.parentSpanId ? span.parentSpanId.slice(0, 8) : "(root)"}${attr(span.attributes, "gen_ai.request.model")}${attr(span.attributes, "error.type")}`,
  );
}
const auth = otlpReceiver.exports[0]?.request.headers.authorization;
line(
  `Authorization header: ${auth === `Bearer ${secrets.otlpToken}` ? "received, as configured" : "MISSING"}`,
);
line(leaks(json(otlpReceiver.acceptedSpans())));

section("Third-party plugin pipelex-telemetry-exporter-example (JSON lines file)", stats["json-lines"]);
const jsonl = readFileSync(env.DEMO_JSONL_PATH, "utf8");
for (const row of jsonl
  .trim()
  .split("\n")
  .map((l) => JSON.parse(l)))
  line(`${row.name}`);
line(leaks(jsonl));

section("mine: a code destination with dropContent() + maskPatterns()", stats.mine);
for (const view of mine.map(toTelemetrySpan))
  line(`${view.name.padEnd(52)} outcome=${view.outcome} error=${view.error?.type ?? "-"}`);
line(leaks(JSON.stringify(mine.map(toTelemetrySpan))));

section("Gateway stream (mandatory, metadata only, PostHog batch format)", stats["pipelex-gateway"]);
for (const e of gatewayReceiver.events()) {
  line(`${e.event.padEnd(14)} distinct_id=${e.distinct_id} ${JSON.stringify(e.properties)}`);
}
line(
  leaks(
    gatewayReceiver
      .ingestRequests()
      .map((r) => String(r.body))
      .join("\n"),
  ),
);

console.log(`\nshutdown: ${report.complete ? "complete" : "timed out"} in ${report.durationMs} ms`);
await Promise.all([
  posthogReceiver.close(),
  langfuseReceiver.close(),
  otlpReceiver.close(),
  gatewayReceiver.close(),
]);
