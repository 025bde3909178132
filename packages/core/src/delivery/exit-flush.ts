/**
 * How long a process that ends without `shutdown()` is held to deliver what telemetry still has
 * queued or in flight (Node's `beforeExit`). Short: telemetry never noticeably delays an exit.
 */
export const EXIT_FLUSH_MS = 500;

/** A telemetry instance's pipelines, flushed once per exit. */
export interface ExitFlushTarget {
  /** True when there is new queued or in-flight work since the last exit flush. */
  needsExitFlush(): boolean;
  flushAtExit(ms: number): Promise<void>;
  /** Synchronous, on `exit`: counts what is still queued or in flight. */
  countAtExit(): void;
}

const targets = new Set<ExitFlushTarget>();
let listening = false;

/**
 * `beforeExit` fires when nothing holds the event loop any more; telemetry's timers and sockets
 * never do, so it fires while spans may still be queued or in flight. Each live telemetry
 * instance then gets one bounded flush (a timer holds the loop for EXIT_FLUSH_MS at most) and
 * counts what is left. Not on `process.exit()` or a signal, where no async work can run.
 */
function onBeforeExit(): void {
  // Nothing scheduled when there is nothing to do: beforeExit would fire again, forever.
  const due = [...targets].filter((target) => target.needsExitFlush());
  if (due.length === 0) return;
  const hold = setTimeout(() => {}, EXIT_FLUSH_MS + 50);
  void Promise.all(due.map((target) => target.flushAtExit(EXIT_FLUSH_MS).catch(() => {}))).finally(() =>
    clearTimeout(hold),
  );
}

/** Registers a flush at process exit where there is a `process` (Node, Bun, Deno's compat); returns the unregister. */
export function registerExitFlush(target: ExitFlushTarget): () => void {
  const proc = (globalThis as { process?: { on?: (event: string, listener: () => void) => unknown } })
    .process;
  if (typeof proc?.on !== "function") return () => {};
  if (!listening) {
    proc.on("beforeExit", onBeforeExit);
    // A last, synchronous count, whatever ended the loop (the flush's bound, or no beforeExit at all).
    proc.on("exit", () => {
      for (const target of targets) target.countAtExit();
    });
    listening = true;
  }
  targets.add(target);
  return () => targets.delete(target);
}
