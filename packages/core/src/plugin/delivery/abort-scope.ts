import type { KillSwitch } from "../../kill-switch/kill-switch.js";

/** Timers created by telemetry never keep the process alive. */
function unref(timer: ReturnType<typeof setTimeout> | ReturnType<typeof setInterval>): void {
  (timer as { unref?: () => void }).unref?.();
}

/** How often a live scope re-reads the kill switch, so DO_NOT_TRACK set in the environment is noticed. */
const KILL_SWITCH_POLL_MS = 100;

/** Why a scope ended early. */
export type AbortCause = "timeout" | "stopped";

export interface AbortScope {
  readonly signal: AbortSignal;
  /** Set once the scope aborted: "timeout" for its own timer, "stopped" for shutdown or the kill switch. */
  readonly cause: AbortCause | undefined;
  /** Clears the timer and listeners; call when the work is over. */
  dispose(): void;
}

export interface AbortScopeOptions {
  /** Aborts with cause "timeout" after this long (no timer when undefined). */
  readonly timeoutMs?: number | undefined;
  /** Any of these aborting stops the scope (core's shutdownSignal, a caller's signal). */
  readonly signals?: readonly (AbortSignal | undefined | null)[];
  /** Engaging it (by `disable()` or DO_NOT_TRACK appearing in the environment) stops the scope. */
  readonly killSwitch?: KillSwitch | undefined;
}

/**
 * An AbortSignal for one piece of delivery work (a request, a backoff wait) that aborts on a
 * timeout, on any parent signal, and on the kill switch, which is re-read every 100 ms so an
 * environment change is noticed mid-request. Every timer is unref'd and cleared by `dispose`.
 */
export function createAbortScope(options: AbortScopeOptions): AbortScope {
  const controller = new AbortController();
  let cause: AbortCause | undefined;
  const cleanups: (() => void)[] = [];
  const abort = (why: AbortCause) => {
    if (controller.signal.aborted) return;
    cause = why;
    controller.abort(why);
    dispose();
  };
  const dispose = () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  };
  for (const parent of options.signals ?? []) {
    if (!parent) continue;
    if (parent.aborted) {
      abort("stopped");
      break;
    }
    const onAbort = () => abort("stopped");
    parent.addEventListener("abort", onAbort, { once: true });
    cleanups.push(() => parent.removeEventListener("abort", onAbort));
  }
  const killSwitch = options.killSwitch;
  if (killSwitch && !controller.signal.aborted) {
    if (killSwitch.isEngaged()) abort("stopped");
    else {
      cleanups.push(killSwitch.onEngage(() => abort("stopped")));
      const poll = setInterval(() => {
        if (killSwitch.isEngaged()) abort("stopped");
      }, KILL_SWITCH_POLL_MS);
      unref(poll);
      cleanups.push(() => clearInterval(poll));
    }
  }
  if (options.timeoutMs !== undefined && !controller.signal.aborted) {
    const timer = setTimeout(() => abort("timeout"), Math.max(0, options.timeoutMs));
    unref(timer);
    cleanups.push(() => clearTimeout(timer));
  }
  return {
    signal: controller.signal,
    get cause() {
      return cause;
    },
    dispose,
  };
}

/**
 * Waits `ms` without holding the process; resolves early (with false) when the scope's
 * signals or kill switch stop it. Resolves true when the full wait elapsed.
 */
export function waitUnlessStopped(
  ms: number,
  options: Omit<AbortScopeOptions, "timeoutMs">,
): Promise<boolean> {
  return new Promise((resolve) => {
    const scope = createAbortScope({ ...options, timeoutMs: ms });
    if (scope.signal.aborted) {
      resolve(scope.cause === "timeout");
      return;
    }
    scope.signal.addEventListener("abort", () => resolve(scope.cause === "timeout"), { once: true });
  });
}

/**
 * Lets any number of delivery calls listen to `signal` (core's `shutdownSignal`: every request
 * and retry wait in flight adds a listener, a dozen at once under load), where Node would warn
 * on stderr past 10. Node only, found at run time; elsewhere there is no such limit.
 */
export function allowManyAbortListeners(signal: AbortSignal): void {
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const events = proc?.getBuiltinModule?.("node:events") as
      | { setMaxListeners?: (n: number, ...targets: EventTarget[]) => void }
      | undefined;
    events?.setMaxListeners?.(0, signal);
  } catch {
    // Not Node: no listener limit to lift.
  }
}
