import type { ShutdownReport } from "../delivery/stats.js";
import type { InferenceCall, Telemetry } from "./types.js";

export const NOOP_CALL: InferenceCall = {
  recordInput() {},
  recordOutput() {},
  recordUsage() {},
  recordResponseModel() {},
};

/**
 * The telemetry returned under DO_NOT_TRACK or with no destination on: no provider, timer,
 * socket or file; `pipeRun`/`inference` just run the callback.
 */
export function createNoopTelemetry(reason: string): Telemetry {
  return {
    enabled: false,
    disabledReason: reason,
    destinations: [],
    pipeRun: (_info, fn) => fn(),
    inference: (_info, fn) => fn(NOOP_CALL),
    stats: () => ({}),
    forceFlush: () => Promise.resolve(),
    shutdown: (): Promise<ShutdownReport> =>
      Promise.resolve({ complete: true, durationMs: 0, destinations: {} }),
    disable() {},
    ready: () => Promise.resolve(),
  };
}
