import type { Fault } from "@pipelex/test-receivers";

export const DESTINATIONS = ["otlp", "posthog", "langfuse", "gateway"] as const;
export type Destination = (typeof DESTINATIONS)[number];
export type Mode = "shutdown" | "no-shutdown" | "kill-switch-env" | "kill-switch-disable";

/** How the endpoint behaves: faulty for the first request only (then it recovers), or always. */
export interface FaultPlan {
  readonly name: string;
  readonly fault: Fault;
  readonly lasts: "first request" | "always";
}

export const FAULTS: readonly FaultPlan[] = [
  { name: "ok", fault: { kind: "ok" }, lasts: "always" },
  { name: "slow", fault: { kind: "ok", delayMs: 300 }, lasts: "always" },
  { name: "503 then ok", fault: { kind: "status", status: 503 }, lasts: "first request" },
  {
    name: "429 Retry-After then ok",
    fault: { kind: "status", status: 429, retryAfter: "1" },
    lasts: "first request",
  },
  { name: "reset then ok", fault: { kind: "reset" }, lasts: "first request" },
  { name: "garbage then ok", fault: { kind: "garbage" }, lasts: "first request" },
  { name: "half body then ok", fault: { kind: "half-body" }, lasts: "first request" },
  { name: "413 then ok", fault: { kind: "status", status: 413 }, lasts: "first request" },
  { name: "503 always", fault: { kind: "status", status: 503 }, lasts: "always" },
  { name: "hang", fault: { kind: "hang" }, lasts: "always" },
  { name: "refuse", fault: { kind: "ok" }, lasts: "always" },
];

export interface Case {
  readonly destination: Destination;
  readonly plan: FaultPlan;
  readonly mode: Mode;
}

const plan = (name: string): FaultPlan => FAULTS.find((f) => f.name === name)!;

/**
 * The quick matrix (run by `pnpm test`): every destination against every transient fault with
 * shutdown, the permanent faults with and without shutdown, and the kill switch mid-retry by
 * both routes (DO_NOT_TRACK appearing in the environment, `disable()`). The full matrix (FAULTS_FULL=1) crosses every fault with every mode.
 */
export function cases(full: boolean): Case[] {
  const all: Case[] = [];
  for (const destination of DESTINATIONS) {
    if (full) {
      for (const p of FAULTS)
        for (const mode of ["shutdown", "no-shutdown", "kill-switch-env", "kill-switch-disable"] as const)
          all.push({ destination, plan: p, mode });
      continue;
    }
    for (const p of FAULTS) all.push({ destination, plan: p, mode: "shutdown" });
    for (const name of ["hang", "refuse", "503 always", "ok"])
      all.push({ destination, plan: plan(name), mode: "no-shutdown" });
    all.push({ destination, plan: plan("503 always"), mode: "kill-switch-env" });
    all.push({ destination, plan: plan("503 always"), mode: "kill-switch-disable" });
  }
  return all;
}
