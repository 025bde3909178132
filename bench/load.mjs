// Load run: the gateway stream and PostHog at 10,000 and 50,000 spans/s against an endpoint
// answering in 50 ms, next to the same app without telemetry. Prints delivered %, drops by
// reason, peak heap and event-loop delay p50/p99/max; `--check` exits 1 when a target is missed.
//
//   node --expose-gc bench/load.mjs [--check] [--seconds 4] [--latency 50]
//     [--only gateway,posthog] [--rates 10000,50000]
//
// Targets (issue 12): >= 99 % delivered at 10,000 spans/s; at 50,000 spans/s every span
// accounted for (exported or dropped by reason), heap bounded, the app's rate kept; event-loop
// delay p99 <= 1.5x the no-telemetry run and max <= the no-telemetry max + 10 ms.
import { spawn } from "node:child_process";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createTelemetry, destination } from "@pipelex/telemetry-core";
import { posthog } from "@pipelex/telemetry-exporter-posthog";
import { gatewayStream } from "@pipelex/telemetry-gateway-stream";

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const CHECK = args.includes("--check");
const SECONDS = flag("seconds", 4);
const LATENCY = flag("latency", 50);
const listFlag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1].split(",") : fallback;
};
const ONLY = listFlag("only", ["gateway", "posthog"]);
const RATES = listFlag("rates", ["10000", "50000"]).map(Number);
const TICK_MS = 10;

const receiver = spawn(
  process.execPath,
  [fileURLToPath(new URL("./load-receiver.mjs", import.meta.url)), String(LATENCY)],
  {
    stdio: ["pipe", "pipe", "inherit"],
  },
);
const lines = createInterface({ input: receiver.stdout });
const nextLine = () => new Promise((resolve) => lines.once("line", (line) => resolve(JSON.parse(line))));
const { port } = await nextLine();
const endpoint = `http://127.0.0.1:${port}`;

const DESTINATIONS = {
  none: () => [],
  // Diagnostic (--only sink): the SDK's own cost, spans handed to an exporter that does nothing.
  sink: () => [
    destination({
      name: "sink",
      exporter: { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} },
    }),
  ],
  gateway: () => [
    gatewayStream({ apiKey: "pgw_load_key_0123456789", endpoint, projectKey: "phc_load_project", env: {} }),
  ],
  posthog: () => [
    posthog({
      mode: "anonymous",
      endpoint,
      apiKey: "phc_load0000000000000000000000000000000",
      tracing: { enabled: true },
    }),
  ],
};

/** One run: `rate` spans/s for SECONDS, the app doing its work in 10 ms ticks (2 spans per workflow). */
async function run(destination, rate) {
  globalThis.gc?.();
  const telemetry = createTelemetry({
    env: {},
    destinations: DESTINATIONS[destination](),
    logLevel: "silent",
  });
  await telemetry.ready();
  const delay = monitorEventLoopDelay({ resolution: 1 });
  let peakHeap = 0;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 50);
  const workflowsPerTick = Math.max(1, Math.round((rate / 2) * (TICK_MS / 1000)));
  const ticks = Math.round((SECONDS * 1000) / TICK_MS);
  let workflows = 0;
  const started = performance.now();
  delay.enable();
  for (let tick = 0; tick < ticks; tick++) {
    for (let i = 0; i < workflowsPerTick; i++) {
      telemetry.pipeRun({ runId: `load-${workflows}`, pipeCode: "summarize", pipeType: "PipeLLM" }, () =>
        telemetry.inference({ model: "gpt-4o", provider: "openai", operation: "chat" }, () => "ok"),
      );
      workflows++;
    }
    // The app's own pacing: the next tick when it is due (the loop stays free in between).
    const due = started + (tick + 1) * TICK_MS;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
  }
  delay.disable();
  const elapsedS = (performance.now() - started) / 1000;
  const report = await telemetry.shutdown({ timeoutMs: 15_000 });
  clearInterval(sampler);
  const spans = workflows * 2;
  const stats = Object.values(telemetry.stats())[0];
  const ms = (ns) => ns / 1e6;
  return {
    destination,
    rate,
    spans,
    appRate: spans / elapsedS,
    delivered: stats ? stats.exported / spans : 1,
    dropped: stats?.dropped ?? {},
    accounted: stats
      ? stats.exported +
        stats.queued +
        stats.filtered +
        Object.values(stats.dropped).reduce((a, b) => a + b, 0)
      : spans,
    complete: report.complete,
    peakHeapMb: peakHeap / 2 ** 20,
    p50: ms(delay.percentile(50)),
    p99: ms(delay.percentile(99)),
    max: ms(delay.max),
  };
}

const results = [];
const problems = [];
for (const rate of RATES) {
  const baseline = await run("none", rate);
  results.push(baseline);
  for (const destination of ONLY) {
    const r = await run(destination, rate);
    results.push(r);
    const name = `${destination} @ ${rate}/s`;
    if (rate === 10_000 && r.delivered < 0.99)
      problems.push(`${name}: delivered ${(r.delivered * 100).toFixed(2)} % < 99 %`);
    if (r.accounted !== r.spans) problems.push(`${name}: ${r.spans - r.accounted} span(s) unaccounted for`);
    if (r.p99 > Math.max(1.5 * baseline.p99, baseline.p99 + 1))
      problems.push(`${name}: loop delay p99 ${r.p99.toFixed(1)} ms > 1.5x ${baseline.p99.toFixed(1)} ms`);
    if (r.max > baseline.max + 10)
      problems.push(`${name}: a ${r.max.toFixed(1)} ms block (no telemetry: ${baseline.max.toFixed(1)} ms)`);
    if (r.appRate < 0.95 * baseline.appRate)
      problems.push(
        `${name}: the app ran at ${Math.round(r.appRate)}/s, ${Math.round(baseline.appRate)}/s without telemetry`,
      );
    if (r.peakHeapMb > baseline.peakHeapMb + 200)
      problems.push(`${name}: peak heap ${r.peakHeapMb.toFixed(0)} MB`);
  }
}
receiver.stdin.end();

const pad = (v, n) => String(v).padStart(n);
console.log(`load: ${SECONDS} s per run, endpoint answering in ${LATENCY} ms (node ${process.version})`);
console.log(
  `${"destination".padEnd(12)}${pad("spans/s", 8)}${pad("app/s", 8)}${pad("delivered", 11)}  ${"drops".padEnd(30)}${pad("heap MB", 8)}${pad("p50", 7)}${pad("p99", 7)}${pad("max", 7)}`,
);
for (const r of results) {
  const drops =
    Object.entries(r.dropped)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ") || "-";
  console.log(
    `${r.destination.padEnd(12)}${pad(r.rate, 8)}${pad(Math.round(r.appRate), 8)}${pad(r.destination === "none" ? "-" : `${(r.delivered * 100).toFixed(2)} %`, 11)}  ${drops.padEnd(30)}${pad(r.peakHeapMb.toFixed(0), 8)}${pad(r.p50.toFixed(1), 7)}${pad(r.p99.toFixed(1), 7)}${pad(r.max.toFixed(1), 7)}`,
  );
}
if (problems.length > 0) {
  console.log(`\ntargets missed:\n- ${problems.join("\n- ")}`);
  if (CHECK) process.exitCode = 1;
} else console.log("\nall targets met");
