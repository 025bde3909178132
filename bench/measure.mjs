/**
 * Runs `workflow` n times in sequence, then `flush`; returns nanoseconds of this process's CPU
 * time per workflow. CPU time, not wall time: other processes on a small shared machine would
 * otherwise decide the result. Everything measured is CPU-bound (no real I/O).
 */
export async function timePerWorkflow(workflow, n, flush) {
  const started = process.cpuUsage();
  for (let i = 0; i < n; i++) await workflow(i);
  if (flush) await flush();
  const used = process.cpuUsage(started);
  return ((used.user + used.system) * 1000) / n;
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * Interleaves baseline and candidate rounds so drift (JIT, GC, a busy neighbour) hits both, and
 * returns the median of the per-round ratios, which is far steadier than either timing.
 */
export async function ratio({ baseline, candidate, n, rounds }) {
  const ratios = [];
  const base = [];
  const cand = [];
  for (let r = 0; r < rounds; r++) {
    globalThis.gc?.();
    const b = await timePerWorkflow(baseline.workflow, n, baseline.flush);
    globalThis.gc?.();
    const c = await timePerWorkflow(candidate.workflow, n, candidate.flush);
    base.push(b);
    cand.push(c);
    ratios.push(c / b);
  }
  return { ratio: median(ratios), baselineNs: median(base), candidateNs: median(cand) };
}
