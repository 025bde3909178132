import { unrefTimer } from "@pipelex/telemetry-core/plugin";

/** A signal that aborts after `ms`, with a `dispose` that clears the timer (no timer outlives its request). */
export interface TimeoutSignal {
  readonly signal: AbortSignal;
  dispose(): void;
}

/**
 * Aborts when `parent` aborts or `ms` elapses. Built by hand rather than with
 * `AbortSignal.timeout`/`AbortSignal.any`, so the timer is cleared as soon as the request ends
 * (telemetry leaves no handle behind) and it runs on every fetch-capable runtime.
 */
export function timeoutSignal(ms: number, parent?: AbortSignal): TimeoutSignal {
  const controller = new AbortController();
  const onParentAbort = () => controller.abort(parent?.reason);
  const timer = setTimeout(() => controller.abort(new TimeoutError(ms)), Math.max(0, ms));
  unrefTimer(timer);
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener("abort", onParentAbort, { once: true });
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      parent?.removeEventListener("abort", onParentAbort);
    },
  };
}

/** The reason a `timeoutSignal` aborts with, so callers can tell a timeout from a shutdown. */
export class TimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`did not answer within ${timeoutMs} ms`);
    this.name = "TimeoutError";
  }
}
