import { expect } from "vitest";

/** A destination's counts as a child reports them. */
interface Counts {
  readonly exported: number;
  readonly queued: number;
  readonly filtered: number;
  readonly dropped: Readonly<Record<string, number>>;
}

const sum = (counts: Readonly<Record<string, number>>) => Object.values(counts).reduce((a, b) => a + b, 0);

/**
 * The child ended cleanly (exit 0, nothing on stderr) and accounted for every one of its `spans`:
 * exported, queued, filtered or dropped for a reason. Returns its stats for the case's own checks.
 */
export function expectCleanRun<S extends Counts>(
  run: { readonly stderr: string; readonly exitCode: number | null; readonly stats: S | undefined },
  spans: number,
): S {
  expect(run.stderr, "the child printed to stderr").toBe("");
  expect(run.exitCode).toBe(0);
  const stats = run.stats!;
  expect(stats, "no stats reported").toBeDefined();
  expect(stats.exported + stats.queued + stats.filtered + sum(stats.dropped)).toBe(spans);
  return stats;
}
