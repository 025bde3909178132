import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type FaultReceiver, refusedUrl, startFaultReceiver } from "@pipelex/test-receivers";
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
  /** When the child's event loop emptied (its `exit` event), else when the parent saw it end. */
  readonly exitedAt: number;
  readonly exitCode: number | null;
  readonly stderr: string;
  /** The destination's stats from the child's last report. */
  readonly stats: DestinationStats | undefined;
}

const CHILD = fileURLToPath(new URL("./child.mjs", import.meta.url));
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
    const child = spawn(
      process.execPath,
      [
        CHILD,
        JSON.stringify({
          destination: kase.destination,
          url,
          mode: kase.mode,
          runs: RUNS,
          shutdownTimeoutMs: shutdownTimeoutFor(kase),
        }),
      ],
      {
        cwd: fileURLToPath(new URL("..", import.meta.url)),
        env: { PATH: process.env.PATH ?? "", ...(process.env.FAULTS_DEBUG ? { FAULTS_DEBUG: "1" } : {}) },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exitCode = await new Promise<number | null>((resolve) => {
      const guard = setTimeout(() => child.kill("SIGKILL"), 30_000);
      child.on("exit", (code) => {
        clearTimeout(guard);
        resolve(code);
      });
    });
    const endedAt = Date.now();
    const events: Record<string, Record<string, unknown>> = {};
    for (const line of stdout.split("\n").filter(Boolean)) {
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        events[String(parsed.event)] = parsed;
      } catch {
        stderr += `\nunparsable stdout line: ${line}`;
      }
    }
    const last = events.exit ?? events.end ?? events.shutdown;
    const stats = (last?.stats as Record<string, DestinationStats> | undefined)?.[NAME[kase.destination]];
    return {
      kase,
      events,
      requests: (receiver?.requests ?? []).map((r) => ({ at: r.receivedAt })),
      exitedAt: events.exit ? Number(events.exit.at) : endedAt,
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

/** The exit gap of a no-telemetry app (see baseline.mjs), `count` of them at once; the largest. */
export async function baselineExitGapMs(count: number): Promise<number> {
  const receiver = await startFaultReceiver();
  try {
    const script = fileURLToPath(new URL("./baseline.mjs", import.meta.url));
    const gaps = await Promise.all(
      Array.from(
        { length: count },
        () =>
          new Promise<number>((resolve) => {
            const child = spawn(process.execPath, [script, receiver.url], {
              stdio: ["ignore", "pipe", "ignore"],
            });
            let out = "";
            child.stdout.on("data", (chunk: Buffer) => {
              out += chunk.toString();
            });
            child.on("exit", () => {
              try {
                resolve((JSON.parse(out) as { gapMs: number }).gapMs);
              } catch {
                resolve(0);
              }
            });
          }),
      ),
    );
    return Math.max(...gaps);
  } finally {
    await receiver.close();
  }
}
