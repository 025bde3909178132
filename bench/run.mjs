// pnpm bench: every figure of issue 14 in one table. Ratios compare a scenario with its baseline
// measured in the same run (interleaved rounds, median); absolute times are noisy on a shared
// machine, ratios much less. `--quick` runs fewer, shorter rounds; `--check` exits non-zero when
// a figure misses its target. See README.md for what each line measures and does not.
import { measureImportCost } from "./import-cost.mjs";
import { MASK_TEXTS, maskMegabyteMs, maskNsPerChar } from "./mask.mjs";
import { ratio, ratios } from "./measure.mjs";
import { measureSlowExporterMemory } from "./memory.mjs";
import { measureWire, PEERS, startReceiver } from "./peers.mjs";
import { variants } from "./variant.mjs";
import { workflowContent } from "./workflows.mjs";

if (!globalThis.gc) {
  console.error(
    "bench/run.mjs needs node --expose-gc (the memory figure is live heap after full GCs); use pnpm bench",
  );
  process.exit(2);
}

const quick = process.argv.includes("--quick");
// `--only a,b`: run only these sections (killswitch, mask, workflow, peers, wire, imports, memory).
const onlyArg = process.argv.indexOf("--only");
const only = onlyArg === -1 ? undefined : new Set(process.argv[onlyArg + 1].split(","));
const runs = (section) => only === undefined || only.has(section);
const ROUNDS = quick ? 3 : 9;
/** Workflows per round, by prompt size: each round lasts a few tenths of a second. */
const PER_ROUND = quick ? { 2048: 300, 32768: 60 } : { 2048: 1200, 32768: 250 };

const missed = [];
/**
 * Peers ours is slower than, by design, and the ratio above which that stops being the
 * explained cost (bench/README.md, "Against the peers"): a bound for regressions.
 */
const PEER_EXPLAINED = { posthog: 1.8, langfuse: 1.7, otlp: 1.2 };
const fmt = (x, digits = 2) => x.toFixed(digits);
function line(verdict, name, figure, detail) {
  console.log(`${verdict.padEnd(5)} ${name.padEnd(60)} ${figure.padStart(12)}  ${detail}`);
}
function judged(name, value, budget, unit, detail) {
  const ok = value <= budget;
  if (!ok) missed.push(name);
  line(
    ok ? "PASS" : "OVER",
    name,
    `${fmt(value, unit === "x" ? 3 : 2)} ${unit}`,
    `(target <= ${budget} ${unit}) ${detail}`,
  );
}
const spread = (r) => `spread ${fmt(r.min, 3)}-${fmt(r.max, 3)}`;

async function workflowRatio(name, budget, baseline, candidate, n, rounds = ROUNDS) {
  await ratio({ baseline, candidate, n: Math.max(1, n >> 2), rounds: 1 }); // warm both paths up
  const r = await ratio({ baseline, candidate, n, rounds });
  const detail = `${fmt(r.candidateNs / 1000, 1)} µs vs ${fmt(r.baselineNs / 1000, 1)} µs, ${spread(r)}`;
  if (budget === undefined) line("INFO", name, `${fmt(r.ratio, 3)} x`, detail);
  else judged(name, r.ratio, budget, "x", detail);
}

const started = Date.now();
console.log(
  `Pipelex telemetry bench${quick ? " (--quick)" : ""}: ${process.env.BENCH_CLOCK === "wall" ? "wall" : "CPU"} time; ` +
    `ratios are the median of ${ROUNDS} interleaved rounds (spread = lowest-highest round); node ${process.version}\n`,
);

// 1. Kill switch, first: before any active telemetry has run in this process, as in an app with
// DO_NOT_TRACK set (active telemetry turns on Node's promise hooks and makes the shared workflow
// code polymorphic; such an app has neither).
if (runs("killswitch")) {
  console.log(`Kill switch (workflow: 1 pipe + 3 LLM calls, 2 KB prompts; ${ROUNDS * 2} rounds)`);
  const v = variants(2048);
  // Twice the rounds: the budget is 5% and these rounds are short, so the median needs more of
  // them to settle on a shared machine.
  const n = PER_ROUND[2048] * 5;
  await workflowRatio("kill switch set, vs no telemetry", 1.05, v.bare(), v.killed(), n, ROUNDS * 2);
  await workflowRatio("  of which the app's own closures", undefined, v.bare(), v.closures(), n, ROUNDS * 2);
}

// 2. maskPatterns alone.
if (runs("mask")) {
  console.log("\nmaskPatterns, CPU time per character (text with nothing to mask)");
  for (const [name, make] of Object.entries(MASK_TEXTS)) {
    const m = maskNsPerChar(make(), { rounds: ROUNDS });
    const budget = name.startsWith("clean") ? 1 : 10;
    judged(name, m.median, budget, "ns/char", `spread ${fmt(m.min, 3)}-${fmt(m.max, 3)}`);
  }
  const m = maskMegabyteMs({ rounds: quick ? 2 : 5 });
  judged(
    "adversarial, 1 MB (linear: no backtracking blow-up)",
    m.median,
    50,
    "ms",
    `spread ${fmt(m.min)}-${fmt(m.max)}`,
  );
}

// 3. The workflow against bare OpenTelemetry doing the same work by hand.
for (const [bytes, threeBudget] of runs("workflow")
  ? [
      [2048, 1.6],
      [32768, 2.0],
    ]
  : []) {
  console.log(
    `\nWorkflow vs bare OpenTelemetry by hand (1 pipe + 3 LLM calls, ${bytes / 1024} KB prompts, 1 KB completions)`,
  );
  const v = variants(bytes);
  const baseline = v.baseline();
  await workflowRatio("one destination, full data", 1.2, baseline, v.one(), PER_ROUND[bytes]);
  await workflowRatio(
    "three destinations (full; no content; masked)",
    threeBudget,
    baseline,
    v.three(),
    PER_ROUND[bytes],
  );
}

// 4. Against the peers, over real HTTP to a discarding loopback receiver.
const receiver = runs("peers") || runs("wire") ? await startReceiver() : undefined;
try {
  const content = workflowContent(2048);
  if (runs("peers"))
    console.log("\nAgainst what users would pick instead (2 KB prompts, HTTP to a discarding receiver)");
  for (const [key, pair] of runs("peers") ? Object.entries(PEERS) : []) {
    const peer = pair.peer(receiver.url, content);
    const candidates = { ours: pair.ours(receiver.url, content), core: pair.core(receiver.url, content) };
    const n = PER_ROUND[2048] >> 1;
    await ratios({ baseline: peer, candidates, n: n >> 2, rounds: 1 }); // warm up
    const r = await ratios({ baseline: peer, candidates, n, rounds: ROUNDS });
    const detail = `${fmt(r.ours.ns / 1000, 1)} µs vs ${fmt(r.baselineNs / 1000, 1)} µs, ${spread(r.ours)}`;
    const explained = PEER_EXPLAINED[key];
    if (r.ours.ratio <= 1 || explained === undefined)
      judged(`${key}: ours vs ${pair.name}`, r.ours.ratio, 1.0, "x", detail);
    else {
      // Over the peer: bench/README.md explains what the extra buys; still a miss above the bound.
      const ok = r.ours.ratio <= explained;
      if (!ok) missed.push(`${key} vs peer`);
      line(
        ok ? "EXPL" : "OVER",
        `${key}: ours vs ${pair.name}`,
        `${fmt(r.ours.ratio, 3)} x`,
        `(target <= 1 x; over it as bench/README.md explains, up to ${explained} x) ${detail}`,
      );
    }
    line(
      "INFO",
      "  of which core: spans, redaction, queue",
      `${fmt(r.core.ratio, 3)} x`,
      `the same policy into a discarding exporter, ${fmt(r.core.ns / 1000, 1)} µs`,
    );
    await peer.shutdown();
    for (const side of Object.values(candidates)) await side.shutdown();
  }

  if (runs("wire")) console.log("\nBytes on the wire per workflow (2 KB prompts; bodies only)");
  for (const row of runs("wire") ? await measureWire(receiver, content, quick ? 64 : 256) : []) {
    line(
      "INFO",
      row.name,
      `${Math.round(row.bytesPerWorkflow)} B`,
      `gzip ${Math.round(row.gzipBytesPerWorkflow)} B${row.sentGzipped ? " (sent gzipped)" : " (if gzipped)"}, ${row.requests} requests`,
    );
  }
} finally {
  receiver?.stop();
}

// 5. Import cost, fresh processes.
if (runs("imports")) {
  console.log(`\nImport cost in a fresh process (CPU ms, median of ${quick ? 3 : 7} processes)`);
  const imports = measureImportCost({ runs: quick ? 3 : 7 });
  for (const [name, r] of Object.entries(imports)) {
    const loaded = r.configOnlyLoaded.length
      ? `loads ${r.configOnlyLoaded.join(", ")}`
      : "loads no zod, no smol-toml";
    // Core alone must load no config-only dependency: an app composing destinations in code.
    const verdict = name === "core" ? (r.configOnlyLoaded.length ? "OVER" : "PASS") : "INFO";
    if (verdict === "OVER") missed.push("core loads config-only dependencies");
    line(verdict, name, `${fmt(r.esmMs, 1)} ms`, `ESM; CJS ${fmt(r.cjsMs, 1)} ms; ${loaded}`);
  }
}

// 6. Memory under slow exporters.
if (runs("memory")) {
  const workflows = quick ? 20_000 : 100_000;
  const m = await measureSlowExporterMemory({ workflows });
  const ok = m.bounded && m.accountedFor;
  if (!ok) missed.push("memory");
  console.log(
    `\nMemory: ${workflows.toLocaleString("en")} workflows (2 KB prompts), three destinations, exporters answering after ${m.exportDelayMs} ms`,
  );
  const dropped = Object.values(m.stats).reduce((a, s) => a + s.dropped.queueFull, 0);
  line(
    ok ? "PASS" : "OVER",
    "peak live heap growth (after full GCs)",
    `${fmt(m.peakLiveGrowthMb, 1)} MiB`,
    `(target: bounded by the queues, < 64 MiB) with garbage ${fmt(m.peakGrowthMb, 1)} MiB; queue ${m.queue}/destination; ` +
      `${dropped.toLocaleString("en")} spans dropped queueFull; all ${m.accountedFor ? "accounted for" : "NOT accounted for"}`,
  );
}

console.log(
  `\n${missed.length === 0 ? "All targets met" : `Missed: ${missed.join("; ")}`} (${Math.round((Date.now() - started) / 1000)} s)`,
);
if (process.argv.includes("--check") && missed.length > 0) process.exit(1);
