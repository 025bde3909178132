// One fault-suite case: an app that records spans to one destination pointed at a loopback
// endpoint, then ends as the case says. It prints one JSON line per event on stdout, each with
// `t`, this process's own monotonic clock (ms), and never calls process.exit: exit times are
// measured between two of its own events (start-up and the parent's scheduling are not in them).
import { createTelemetry } from "@pipelex/telemetry-core";
import { langfuse } from "@pipelex/telemetry-exporter-langfuse";
import { otlp } from "@pipelex/telemetry-exporter-otlp";
import { posthog } from "@pipelex/telemetry-exporter-posthog";
import { gatewayStream } from "@pipelex/telemetry-gateway-stream";

const { destination, url, mode, runs, shutdownTimeoutMs } = JSON.parse(process.argv[2]);
const FAST = { scheduledDelayMillis: 10 };
const out = (event) =>
  process.stdout.write(`${JSON.stringify({ ...event, at: Date.now(), t: performance.now() })}\n`);

function destinationSpec() {
  switch (destination) {
    case "otlp":
      return otlp({
        name: "otlp",
        endpoint: `${url}/v1/traces`,
        protocol: "http/json",
        timeoutMs: 4000,
        delivery: FAST,
      });
    case "posthog":
      return posthog({
        mode: "anonymous",
        endpoint: url,
        apiKey: "phc_faultsuite0000000000000000000000000000",
        tracing: { enabled: true },
        requestTimeout: 1000,
        fetchRetryDelay: 1000,
        flushInterval: 10,
      });
    case "langfuse":
      return langfuse({
        enabled: true,
        endpoint: url,
        publicKey: "pk-lf-faultsuite",
        secretKey: "sk-lf-faultsuite",
        delivery: FAST,
      });
    case "gateway":
      return gatewayStream({
        apiKey: "pgw_faultsuite_key_0123456789",
        endpoint: url,
        projectKey: "phc_faultsuite_project",
        env: {},
      });
    default:
      throw new Error(`unknown destination ${destination}`);
  }
}

// The telemetry environment: the kill-switch case sets DO_NOT_TRACK in it mid-retry.
const env = {};
const telemetry = createTelemetry({ env, destinations: [destinationSpec()], logLevel: "silent" });
await telemetry.ready();
for (let i = 0; i < runs; i++) {
  await telemetry.pipeRun({ runId: `fault-run-${i}`, pipeCode: "summarize", pipeType: "PipeLLM" }, () =>
    telemetry.inference({ model: "gpt-4o", provider: "openai", operation: "chat" }, async () => "ok"),
  );
}

// When nothing holds the event loop any more (and Node's background tasks are drained): the
// moment the process ends on its own.
process.on("exit", () => out({ event: "exit", stats: telemetry.stats() }));

if (mode === "shutdown") {
  const startedT = performance.now();
  const report = await telemetry.shutdown({ timeoutMs: shutdownTimeoutMs });
  out({ event: "shutdown", startedT, report, stats: telemetry.stats() });
} else if (mode === "no-shutdown") {
  // The app's last line of work; telemetry must not keep the process alive past its exit flush.
  out({ event: "last-work" });
} else if (mode === "kill-switch-env" || mode === "kill-switch-disable") {
  void telemetry.forceFlush();
  // Long enough for the first attempt to fail and a retry to be scheduled (backoff >= 800 ms).
  await new Promise((resolve) => setTimeout(resolve, 500));
  if (mode === "kill-switch-env") env.DO_NOT_TRACK = "1";
  else telemetry.disable();
  out({ event: "switched" });
  // Long enough for any retry that was scheduled to have gone out.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  out({ event: "end", stats: telemetry.stats() });
}
