// An app that wraps one of OpenTelemetry's own OTLP exporters (`proto` or `http`) with core's
// `destination()`, records spans to a loopback endpoint, then ends as told: `shutdown` awaits
// `telemetry.shutdown({ timeoutMs })`, `no-shutdown` just stops working. Exporter `none` is the
// control: the same app without telemetry. One JSON line per event on stdout; never calls
// process.exit: the parent measures when the process ends on its own.
import { OTLPTraceExporter as HttpExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { createTelemetry, destination } from "@pipelex/telemetry-core";

const { exporter: kind, url, mode, runs, shutdownTimeoutMs } = JSON.parse(process.argv[2]);
const out = (event) => process.stdout.write(`${JSON.stringify({ ...event, at: Date.now() })}\n`);

function wrapped() {
  if (kind === "none") return [];
  const Exporter = kind === "proto" ? ProtoExporter : HttpExporter;
  // The exporter's defaults (10 s timeout, its own retries, a keep-alive agent): what a user gets.
  const exporter = new Exporter({ url: `${url}/v1/traces` });
  return [destination({ name: "wrapped", exporter, delivery: { scheduledDelayMillis: 10 } })];
}
const telemetry = createTelemetry({ env: {}, destinations: wrapped(), logLevel: "silent" });

// Two rounds of work, each followed by time for its export to reach the endpoint: the second
// export goes out on the exporter's keep-alive socket from the first (which its agent re-refs).
for (const round of [0, 1]) {
  for (let i = 0; i < runs; i++) {
    await telemetry.pipeRun(
      { runId: `wrapped-${round}-${i}`, pipeCode: "summarize", pipeType: "PipeLLM" },
      () => telemetry.inference({ model: "gpt-4o", provider: "openai", operation: "chat" }, async () => "ok"),
    );
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
}

// When nothing holds the event loop any more: the moment the process ends on its own.
process.on("exit", () => out({ event: "exit", stats: telemetry.stats() }));

if (mode === "shutdown") {
  const startedAt = Date.now();
  const report = await telemetry.shutdown({ timeoutMs: shutdownTimeoutMs });
  out({ event: "shutdown", startedAt, report });
} else {
  // The app's last line of work.
  out({ event: "last-work" });
}
