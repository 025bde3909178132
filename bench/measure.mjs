/**
 * Nanoseconds of CPU time used by this process (all its threads, GC helpers included). CPU time,
 * not wall time: other processes on a small shared machine would otherwise decide the result.
 * `BENCH_CLOCK=wall` switches to wall time, for a quiet machine.
 */
export const cpuNow =
  process.env.BENCH_CLOCK === "wall"
    ? () => Number(process.hrtime.bigint())
    : () => {
        const used = process.cpuUsage();
        return (used.user + used.system) * 1000;
      };

/** Runs `workflow` n times in sequence, then `flush`; returns nanoseconds per workflow. */
export async function timePerWorkflow(workflow, n, flush) {
  const started = cpuNow();
  for (let i = 0; i < n; i++) await workflow(i);
  if (flush) await flush();
  return (cpuNow() - started) / n;
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * Interleaves baseline and candidate rounds so drift (JIT, GC, a busy neighbour) hits both, and
 * returns the median of the per-round ratios (far steadier than either timing) with their range.
 */
export async function ratio({ baseline, candidate, n, rounds }) {
  const ratios = [];
  const base = [];
  const cand = [];
  for (let r = 0; r < rounds; r++) {
    // Alternate which goes first, so neither always inherits the other's garbage or warm caches.
    const first = r % 2 === 0 ? baseline : candidate;
    const second = first === baseline ? candidate : baseline;
    // No forced gc() between rounds: a forced full GC throws away optimized code (V8 recompiled
    // about 960 functions over 9 rounds instead of 270), so each round measured the warm-up that
    // follows it rather than steady state, and penalized the larger code path most.
    const t1 = await timePerWorkflow(first.workflow, n, first.flush);
    const t2 = await timePerWorkflow(second.workflow, n, second.flush);
    const [b, c] = first === baseline ? [t1, t2] : [t2, t1];
    base.push(b);
    cand.push(c);
    ratios.push(c / b);
  }
  return {
    ratio: median(ratios),
    min: Math.min(...ratios),
    max: Math.max(...ratios),
    baselineNs: median(base),
    candidateNs: median(cand),
  };
}

/**
 * Like `ratio`, for several candidates against one baseline: every round times each of them once,
 * in an order that rotates, and each candidate gets the median of its per-round ratios.
 */
export async function ratios({ baseline, candidates, n, rounds }) {
  const sides = [["baseline", baseline], ...Object.entries(candidates)];
  const times = Object.fromEntries(sides.map(([name]) => [name, []]));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < sides.length; k++) {
      const [name, side] = sides[(r + k) % sides.length];
      times[name].push(await timePerWorkflow(side.workflow, n, side.flush));
    }
  }
  const result = { baselineNs: median(times.baseline) };
  for (const name of Object.keys(candidates)) {
    const perRound = times[name].map((t, r) => t / times.baseline[r]);
    result[name] = {
      ratio: median(perRound),
      min: Math.min(...perRound),
      max: Math.max(...perRound),
      ns: median(times[name]),
    };
  }
  return result;
}
