import { beforeAll, describe, expect, it } from "vitest";
import { type Case, cases, DESTINATIONS } from "../src/matrix.js";
import {
  type CaseResult,
  CHILD_NODE_FLAGS,
  controlExitGapMs,
  inParallel,
  runCase,
  SPANS,
  shutdownTimeoutFor,
} from "../src/run-case.js";
import { expectCleanRun } from "./clean-run.js";

const FULL = process.env.FAULTS_FULL === "1";
const label = (c: Case) => `${c.destination} | ${c.plan.name} | ${c.mode}`;
/** `FAULTS_ONLY=posthog` runs the cases whose label contains it. */
const ONLY = process.env.FAULTS_ONLY;
const MATRIX = cases(FULL).filter((c) => !ONLY || label(c).includes(ONLY));
/** Child processes at once: they mostly wait on timers and sockets. */
const PARALLEL = FULL ? 6 : 4;
/** The targets: exit within 100 ms after shutdown resolves, within 1 s of the last work without it. */
const EXIT_AFTER_SHUTDOWN_MS = 100;
const EXIT_WITHOUT_SHUTDOWN_MS = 1000;
/**
 * For a loaded box: a child is one of 4 (6 in the full matrix) on 2 cores shared with other
 * work, and can wait tens of ms for a CPU between its last callback and its `exit` event. Our
 * own figure after shutdown is 1-45 ms with 4 children (see README).
 */
const ALLOWANCE_MS = Number(process.env.FAULTS_ALLOWANCE_MS ?? 50);
/**
 * `shutdown({ timeoutMs })` resolves within its timeout (DESIGN.md). Its deadline is a timer due
 * after a second or more, and on this machine with a load average of 10 (other work running) such
 * a timer fired up to 216 ms late; with 4 children alone, 0-27 ms.
 */
const SHUTDOWN_OVERRUN_MS = 300;
/** Exit-time misses re-run alone (see beforeAll); more than this many fail as they are. */
const RERUNS_AT_MOST = 8;

const results = new Map<Case, CaseResult>();
/** The event the child prints at its last line of work when it does not call shutdown(). */
const lastWork = (c: Case) => (c.mode === "no-shutdown" ? "last-work" : "end");
/** The exit gap's starting event: shutdown resolved, or the app's last line of work. */
const exitFrom = (c: Case) => (c.mode === "shutdown" ? "shutdown" : lastWork(c));
const exitBudgetMs = (c: Case) =>
  (c.mode === "shutdown" ? EXIT_AFTER_SHUTDOWN_MS : EXIT_WITHOUT_SHUTDOWN_MS) + ALLOWANCE_MS;
const exitGap = (r: CaseResult) => r.exitGapMs(exitFrom(r.kase)) ?? Number.NaN;

/** "max 14 ms (otlp 8, posthog 14, ...)": the largest exit gap of these results, and per destination. */
function largest(done: readonly CaseResult[]): string {
  if (done.length === 0) return "none run";
  const top = (list: readonly CaseResult[]) => Math.round(Math.max(...list.map(exitGap)));
  const each = DESTINATIONS.filter((d) => done.some((r) => r.kase.destination === d)).map(
    (d) => `${d} ${top(done.filter((r) => r.kase.destination === d))}`,
  );
  return `max ${top(done)} ms (${each.join(", ")})`;
}

beforeAll(async () => {
  // What Node alone spends before exit after a first fetch, with its defaults and with ours.
  const nodeDefault = await controlExitGapMs([]);
  const withFlags = await controlExitGapMs(CHILD_NODE_FLAGS);
  const started = Date.now();
  const done = await inParallel(MATRIX, PARALLEL, runCase);
  // A child starved of CPU by the machine's other work can miss an exit budget it meets alone; a
  // case that misses it is run once more, alone, and that run is the one checked (a regression
  // misses it both times). Both figures are printed. More than RERUNS_AT_MOST misses is no noise.
  const reruns: string[] = [];
  const missed = done.filter((r) => !(exitGap(r) <= exitBudgetMs(r.kase)));
  for (const [index, first] of done.entries()) {
    if (missed.length > RERUNS_AT_MOST || !missed.includes(first)) continue;
    const again = await runCase(first.kase);
    done[index] = again;
    reruns.push(`${label(first.kase)} ${Math.round(exitGap(first))} -> ${Math.round(exitGap(again))} ms`);
  }
  for (const result of done) results.set(result.kase, result);
  const afterShutdown = largest(done.filter((r) => r.kase.mode === "shutdown"));
  const afterLastWork = largest(done.filter((r) => r.kase.mode !== "shutdown"));
  console.info(
    `[faults] ${done.length} cases in ${Math.round((Date.now() - started) / 1000)} s, ${PARALLEL} at once; exit after shutdown resolved: ${afterShutdown} (target ${EXIT_AFTER_SHUTDOWN_MS} + ${ALLOWANCE_MS}); after the last work without shutdown: ${afterLastWork} (target ${EXIT_WITHOUT_SHUTDOWN_MS} + ${ALLOWANCE_MS}); re-run alone: ${reruns.join("; ") || "none"}; control, no telemetry, one fetch: ${Math.round(nodeDefault)} ms with Node's defaults, ${Math.round(withFlags)} ms with ${CHILD_NODE_FLAGS.join(" ") || "the same"}`,
  );
}, 600_000);

const recovers = (c: Case) => c.plan.lasts === "first request" && c.plan.name !== "413 then ok";
const healthy = (c: Case) => c.plan.name === "ok" || c.plan.name === "slow";
/** posthog-node answers a 413 by halving the batch and re-sending at once: delivered, no retry wait. */
const resendsAt413 = (c: Case) => c.destination === "posthog" && c.plan.name === "413 then ok";

describe(`fault suite (${FULL ? "full" : "quick"} matrix, each case a child process)`, () => {
  it.each(MATRIX.map((c) => [label(c), c] as const))("%s", (_name, kase) => {
    const r = results.get(kase)!;
    const stats = expectCleanRun(r, SPANS);

    if (kase.mode === "shutdown") {
      const event = r.events.shutdown!;
      expect(Number(event.t) - Number(event.startedT), "shutdown took (ms)").toBeLessThanOrEqual(
        shutdownTimeoutFor(kase) + SHUTDOWN_OVERRUN_MS,
      );
      expect(r.exitGapMs("shutdown"), "exit after shutdown resolved (ms)").toBeLessThanOrEqual(
        exitBudgetMs(kase),
      );
      if (healthy(kase) || recovers(kase)) {
        // Retried, and nothing lost once the endpoint recovered.
        expect(stats.exported).toBe(SPANS);
        expect(stats.queued).toBe(0);
        if (recovers(kase)) expect(r.requests.length).toBeGreaterThanOrEqual(2);
      } else if (kase.plan.name === "413 then ok") {
        if (resendsAt413(kase)) expect(stats.exported).toBe(SPANS);
        else {
          expect(stats).toMatchObject({ exported: 0, dropped: { exportFailed: SPANS } });
          expect(r.requests).toHaveLength(1); // 413 is final
        }
      } else {
        expect(stats.exported).toBe(0);
        expect(
          (event.report as { destinations: Record<string, { notDelivered: number }> }).destinations,
        ).toBeDefined();
      }
    }

    if (kase.mode !== "shutdown") {
      expect(r.exitGapMs(lastWork(kase)), "exit after the last work (ms)").toBeLessThanOrEqual(
        exitBudgetMs(kase),
      );
    }

    if (kase.mode === "no-shutdown") {
      // What was not delivered is counted, nothing is left unaccounted in the queue.
      expect(stats.queued).toBe(0);
      if (healthy(kase)) expect(stats.exported).toBe(SPANS);
      if (kase.plan.lasts === "always" && !healthy(kase)) expect(stats.exported).toBe(0);
    }

    if (kase.mode === "kill-switch-env" || kase.mode === "kill-switch-disable") {
      const switchedAt = Number(r.events.switched!.at);
      // No request after the switch: pending retries were cancelled and nothing new started. (The
      // first request may still be arriving when the switch is set on a loaded machine: it left
      // 500 ms before, and its in-flight part is aborted.)
      expect(r.requests.slice(1).filter((q) => q.at > switchedAt + 20)).toEqual([]);
      // Delivered before the switch only where nothing waited for a retry.
      if (!healthy(kase) && !resendsAt413(kase)) expect(stats.exported).toBe(0);
    }
  });
});
