import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type FaultReceiver, refusedUrl, startFaultReceiver } from "@pipelex/test-receivers";
import { runChildApp } from "./child-app.js";
import type { Case } from "./matrix.js";

/** Spans the child records: `RUNS` pipe runs of one pipe span and one inference span. */
export const RUNS = 5;
export const SPANS = 2 * RUNS;
/** `shutdown({ timeoutMs })`: room for one retry when the endpoint recovers, short when it never does. */
export function shutdownTimeoutFor(kase: Case): number {
  return kase.plan.lasts === "first request" ? 4000 : 1000;
}

interface DestinationStats {
  exported: number;
  queued: number;
  filtered: number;
  dropped: Record<string, number>;
}

export interface CaseResult {
  readonly kase: Case;
  /** Every JSON line the child printed, by event name. */
  readonly events: Record<string, Record<string, unknown>>;
  /** Requests the endpoint received, with when. */
  readonly requests: readonly { at: number }[];
  /**
   * Ms from `from` (an event the child printed) to the child's `exit` event, both on the child's
   * own clock; undefined when either is missing.
   */
  exitGapMs(from: string): number | undefined;
  readonly exitCode: number | null;
  readonly stderr: string;
  /** The destination's stats from the child's last report. */
  readonly stats: DestinationStats | undefined;
}

const CHILD = fileURLToPath(new URL("./child.mjs", import.meta.url));

/**
 * Node flags for every child. A process that ends within ~100 ms of CPU after its first fetch
 * waits, before its `exit` event, for V8 to finish the optimized (TurboFan) compile of undici's
 * WebAssembly HTTP parser on a background thread: 70-110 ms of CPU on this machine, 200-350 ms of
 * wall time with 4 children on 2 cores, for any app that fetches, telemetry or not (see
 * baseline.mjs, whose figure the suite prints). Without the optimizing tier that cost is gone and
 * an exit time is what our own timers, sockets and callbacks hold. `FAULTS_NODE_FLAGS=` (empty)
 * runs the children with Node's defaults.
 */
export const CHILD_NODE_FLAGS = (process.env.FAULTS_NODE_FLAGS ?? "--liftoff-only")
  .split(" ")
  .filter(Boolean);
const NAME = { otlp: "otlp", posthog: "posthog", langfuse: "langfuse", gateway: "pipelex-gateway" } as const;

export async function runCase(kase: Case): Promise<CaseResult> {
  let receiver: FaultReceiver | undefined;
  let url: string;
  if (kase.plan.name === "refuse") url = await refusedUrl();
  else {
    receiver = await startFaultReceiver();
    const { fault, lasts } = kase.plan;
    receiver.setFault((index) => (lasts === "always" || index === 0 ? fault : { kind: "ok" }));
    url = receiver.url;
  }
  try {
    const { events, exitCode, stderr } = await runChildApp(
      CHILD,
      [
        JSON.stringify({
          destination: kase.destination,
          url,
          mode: kase.mode,
          runs: RUNS,
          shutdownTimeoutMs: shutdownTimeoutFor(kase),
        }),
      ],
      { nodeFlags: CHILD_NODE_FLAGS, env: process.env.FAULTS_DEBUG ? { FAULTS_DEBUG: "1" } : {} },
    );
    const last = events.exit ?? events.end ?? events.shutdown;
    const stats = (last?.stats as Record<string, DestinationStats> | undefined)?.[NAME[kase.destination]];
    return {
      kase,
      events,
      requests: (receiver?.requests ?? []).map((r) => ({ at: r.receivedAt })),
      exitGapMs: (from) =>
        events.exit && events[from] ? Number(events.exit.t) - Number(events[from].t) : undefined,
      exitCode,
      stderr,
      stats,
    };
  } finally {
    await receiver?.close();
  }
}

/** Runs `tasks` with at most `limit` at once, in order of results. */
export async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The control (baseline.mjs): a no-telemetry app's exit gap with these Node flags, ms. */
export async function controlExitGapMs(nodeFlags: readonly string[]): Promise<number> {
  const receiver = await startFaultReceiver();
  try {
    const script = fileURLToPath(new URL("./baseline.mjs", import.meta.url));
    const child = spawn(process.execPath, [...nodeFlags, script, receiver.url], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    await new Promise((resolve) => child.on("exit", resolve));
    return (JSON.parse(out) as { gapMs: number }).gapMs;
  } finally {
    await receiver.close();
  }
}
