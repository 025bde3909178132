// pnpm bench: prints each scenario's time per workflow and its ratio to the baseline measured
// in the same run. Ratios are the figures to read; absolute times are noisy on a small machine.
// `--check` exits non-zero when a ratio is over its budget (issue 2's performance targets).
import { measureHangingExporterHeap } from "./heap.mjs";
import { ratio } from "./measure.mjs";
import { VARIANTS } from "./variant.mjs";

if (!globalThis.gc) {
  console.error(
    "bench/run.mjs needs node --expose-gc (the heap check measures live memory after full GCs); use pnpm bench",
  );
  process.exit(2);
}

const quick = process.argv.includes("--quick");
const N = quick ? 2_000 : 10_000;
const ROUNDS = quick ? 3 : 15;

const results = [];
async function scenario(name, budget, baseline, candidate, n = N) {
  // Warm both paths so the JIT has compiled them before the measured rounds.
  await ratio({ baseline, candidate, n: n / 4, rounds: 1 });
  const r = await ratio({ baseline, candidate, n, rounds: ROUNDS });
  if (budget !== undefined) results.push({ name, budget, ...r });
  const verdict = budget === undefined ? "INFO" : r.ratio <= budget ? "PASS" : "OVER";
  console.log(
    `${verdict}  ${name.padEnd(46)} ${(r.candidateNs / 1000).toFixed(2).padStart(7)} µs vs ${(
      r.baselineNs / 1000
    )
      .toFixed(2)
      .padStart(7)} µs  ratio ${r.ratio.toFixed(3)}${budget === undefined ? "" : `  (budget ${budget}x)`}`,
  );
}

console.log(
  `${process.env.BENCH_CLOCK === "wall" ? "Wall" : "CPU"} time per workflow (1 pipe span + 1 LLM span), median ratio of ${ROUNDS} interleaved rounds of ${N} workflows (${N * 10} for the kill switch)\n`,
);

// Kill switch first: the baseline here is the callback with no telemetry at all. Measured before
// any active telemetry has run in this process, as in an app with DO_NOT_TRACK set: the active
// scenarios turn on Node's promise hooks (AsyncLocalStorage) and make the shared workflow code
// polymorphic, and a DO_NOT_TRACK app has neither. Its workflows are ten times shorter, so its
// rounds have ten times more of them and last about as long as the others'.
await scenario("kill switch set (vs no telemetry at all)", 1.05, VARIANTS.bare(), VARIANTS.killed(), N * 10);
// For reading the line above: the app's two closures alone, the part no telemetry can remove.
await scenario("  of which the app's own closures", undefined, VARIANTS.bare(), VARIANTS.closures(), N * 10);

const baseline = VARIANTS.baseline();
await scenario("one destination, no redaction", 1.25, baseline, VARIANTS.one());
// DESIGN.md's three example policies: full data, PostHog's default, dropContent + maskPatterns.
await scenario("three destinations, three redaction policies", 1.6, baseline, VARIANTS.three());

const heap = await measureHangingExporterHeap({ spans: quick ? 200_000 : 1_000_000 });
console.log(
  `\n${heap.bounded ? "PASS" : "OVER"}  ${heap.spans.toLocaleString("en")} spans into an exporter that never returns: ` +
    `peak live heap ${heap.peakLiveHeapMb.toFixed(1)} MiB after full GCs, ${heap.peakHeapMb.toFixed(1)} MiB with garbage not yet collected ` +
    `(${heap.startHeapMb.toFixed(1)} MiB at start, queue ${heap.queueSize}); ` +
    `exported ${heap.stats.exported}, queued ${heap.stats.queued}, in flight ${heap.inFlight}, dropped queueFull ${heap.stats.dropped.queueFull} ` +
    `(all ${heap.accountedFor ? "accounted for" : "NOT accounted for"})`,
);

const over = results.filter((r) => r.ratio > r.budget);
if (process.argv.includes("--check") && (over.length > 0 || !heap.bounded || !heap.accountedFor))
  process.exit(1);
