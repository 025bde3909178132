// Bytes allocated per span, and what the young-generation collections cost, for the load run's
// app (bench/load.mjs: a pipe run with one inference, 10,000 spans/s in 10 ms ticks, an endpoint
// answering in 50 ms) next to bare OpenTelemetry doing the same. Counts bytes, not time, so it
// reads the same on a busy machine.
//
//   node bench/alloc.mjs [--seconds 3] [--rate 10000] [--rounds 3] [--only sink,gateway[,posthog]] [--top 12]
//
// Each variant runs in a fresh process: one warm-up second, then the measured seconds. Bytes are
// V8's sampling heap profiler with the objects young- and old-generation collections freed
// included (an unbiased estimate of everything allocated on the main thread); collections are
// `v8.GCProfiler`: count, pause, and what survived each scavenge (copied within the young
// generation or promoted), which is what a scavenge's pause grows with.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const SECONDS = Number(option("seconds", 3));
const RATE = Number(option("rate", 10_000));
const TOP = Number(option("top", 0));
const ROUNDS = Number(option("rounds", 3));
const VARIANTS = ["none", "otel", ...option("only", "sink,gateway").split(",")];
const TICK_MS = 10;

if (args[0] === "--child") {
  await measureChild(args[1], Number(args[2]), args[3]);
} else {
  await main();
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function main() {
  const receiver = spawn(
    process.execPath,
    [fileURLToPath(new URL("./load-receiver.mjs", import.meta.url)), "50"],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const lines = createInterface({ input: receiver.stdout });
  const { port } = await new Promise((resolve) => lines.once("line", (l) => resolve(JSON.parse(l))));
  const results = [];
  // Two processes per variant: bytes under the sampling profiler, collections without it (the
  // profiler's own work would lengthen every pause).
  // Collections depend on timing too (how long spans wait on the endpoint), so they are the
  // median of ROUNDS processes; the bytes are one process's.
  for (const variant of VARIANTS) {
    const bytes = await runChild(variant, port, "bytes");
    const rounds = [];
    for (let round = 0; round < ROUNDS; round++) rounds.push(await runChild(variant, port, "gc"));
    const per10k = (r, value) => (value * 10_000) / r.spans;
    results.push({
      ...bytes,
      scavengesPer10k: median(rounds.map((r) => per10k(r, r.scavenges))),
      pauseMs: median(rounds.map((r) => (r.scavenges ? r.scavengeMs / r.scavenges : 0))),
      survivedKb: median(rounds.map((r) => (r.scavenges ? r.survivedBytes / r.scavenges / 1024 : 0))),
      majorsPer10k: median(rounds.map((r) => per10k(r, r.majors))),
    });
  }
  receiver.stdin.end();

  const byName = Object.fromEntries(results.map((r) => [r.variant, r]));
  const app = byName.none;
  const otel = byName.otel;
  /** The telemetry's own bytes per span: the variant's minus the app's without telemetry. */
  const own = (r) => (r.bytes - app.bytes) / r.spans;
  console.log(
    `alloc: ${RATE} spans/s for ${SECONDS} s per variant, after 1 s of warm-up (node ${process.version})`,
  );
  console.log(
    `${"variant".padEnd(10)}${"B/span".padStart(8)}${"x otel".padStart(8)}${"scavenges/10k".padStart(15)}${"pause ms".padStart(10)}${"survived KB".padStart(13)}${"majors/10k".padStart(13)}`,
  );
  for (const r of results) {
    const line = [
      r.variant.padEnd(10),
      (r.variant === "none" ? "-" : own(r).toFixed(0)).padStart(8),
      (r.variant === "none" ? "-" : (own(r) / own(otel)).toFixed(2)).padStart(8),
      r.scavengesPer10k.toFixed(1).padStart(15),
      r.pauseMs.toFixed(2).padStart(10),
      r.survivedKb.toFixed(0).padStart(13),
      r.majorsPer10k.toFixed(1).padStart(13),
    ];
    console.log(line.join(""));
  }
  console.log(
    `B/span: main-thread bytes allocated per span beyond the app's own (variant none), one process; collections: median of ${ROUNDS} processes, pause and survived per scavenge`,
  );
  if (TOP > 0)
    for (const r of results) {
      if (r.variant === "none") continue;
      console.log(`\n${r.variant}: where the bytes are allocated (B/span, by function)`);
      for (const [where, bytes] of r.top)
        console.log(`${(bytes / r.spans).toFixed(0).padStart(7)}  ${where}`);
    }
}

function runChild(variant, port, measure) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--expose-gc", fileURLToPath(import.meta.url), "--child", variant, String(port), measure, ...args],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.on("exit", (code) => {
      if (code !== 0) reject(new Error(`variant ${variant} exited with ${code}`));
      else resolve(JSON.parse(out.trim().split("\n").at(-1)));
    });
  });
}

async function setup(variant, port) {
  const { bareOpenTelemetryLoadApp, DISCARDING_EXPORTER, loadDestinations, telemetryLoadApp } = await import(
    "./load-apps.mjs"
  );
  if (variant === "otel") {
    const { provider, workflow } = bareOpenTelemetryLoadApp(DISCARDING_EXPORTER);
    return { workflow, flush: () => provider.forceFlush() };
  }
  const destinations = loadDestinations(`http://127.0.0.1:${port}`)[variant];
  if (!destinations) throw new Error(`unknown variant ${variant}`);
  const { telemetry, workflow } = await telemetryLoadApp(await destinations());
  return { workflow, flush: () => telemetry.forceFlush() };
}

/** `seconds` of the load run's app: `rate` spans/s, two per workflow, in 10 ms ticks. */
async function drive(workflow, seconds, from) {
  const perTick = Math.max(1, Math.round((RATE / 2) * (TICK_MS / 1000)));
  const ticks = Math.round((seconds * 1000) / TICK_MS);
  const started = performance.now();
  let i = from;
  for (let tick = 0; tick < ticks; tick++) {
    for (let w = 0; w < perTick; w++) workflow(i++);
    const due = started + (tick + 1) * TICK_MS;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
  }
  return i;
}

async function measureChild(variant, port, measure) {
  const { workflow, flush } = await setup(variant, port);
  const warm = await drive(workflow, 1, 0);
  await flush();
  globalThis.gc();
  const run = async () => {
    const end = await drive(workflow, SECONDS, warm);
    await flush();
    return (end - warm) * 2;
  };
  const result = measure === "bytes" ? await measureBytes(run) : await measureCollections(run);
  process.stdout.write(`${JSON.stringify({ variant, ...result })}\n`);
  process.exit(0);
}

/** Bytes allocated while `run` runs, in all and by allocating function (sampled every 256 B). */
async function measureBytes(run) {
  const { Session } = await import("node:inspector/promises");
  const session = new Session();
  session.connect();
  await session.post("HeapProfiler.startSampling", {
    samplingInterval: 256,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  const spans = await run();
  const { profile } = await session.post("HeapProfiler.getSamplingProfile");
  await session.post("HeapProfiler.stopSampling");
  session.disconnect();

  let bytes = 0;
  const byFunction = new Map();
  const name = (f) =>
    `${f.functionName || "(anonymous)"} ${f.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*\/packages\//, "")}:${f.lineNumber + 1}`;
  const walk = (node, parent) => {
    bytes += node.selfSize;
    if (node.selfSize > 0) {
      // A builtin (no url) is named with the function that called it.
      const where = node.callFrame.url
        ? name(node.callFrame)
        : `${node.callFrame.functionName} <- ${name(parent)}`;
      byFunction.set(where, (byFunction.get(where) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, node.callFrame.url ? node.callFrame : parent);
  };
  walk(profile.head, profile.head.callFrame);
  return { spans, bytes, top: [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, TOP) };
}

/** Collections while `run` runs: scavenges, their pauses and survivors, full collections. */
async function measureCollections(run) {
  const { GCProfiler } = await import("node:v8");
  const gcProfiler = new GCProfiler();
  gcProfiler.start();
  const spans = await run();
  const gcs = gcProfiler.stop();

  let scavenges = 0;
  let scavengeMs = 0;
  let survivedBytes = 0;
  let majors = 0;
  const used = (stats, space) =>
    stats.heapSpaceStatistics.find((s) => s.spaceName === space)?.spaceUsedSize ?? 0;
  for (const gc of gcs.statistics) {
    if (gc.gcType === "Scavenge") {
      scavenges++;
      scavengeMs += gc.cost / 1000;
      const promoted = used(gc.afterGC, "old_space") - used(gc.beforeGC, "old_space");
      survivedBytes += used(gc.afterGC, "new_space") + Math.max(0, promoted);
    } else if (gc.gcType === "MarkSweepCompact") majors++;
  }
  return { spans, scavenges, scavengeMs, survivedBytes, majors };
}
