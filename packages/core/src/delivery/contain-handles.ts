import type { SpanExporter } from "@opentelemetry/sdk-trace-base";
import { createContextStore } from "../span/context-store.js";

/**
 * A foreign exporter (any OpenTelemetry `SpanExporter` given to `destination()`, or a plugin that
 * does not declare `neverHoldsProcess`) brings its own timers and keep-alive sockets, and they keep
 * the process alive for seconds after the app is done: the official OTLP exporter, 6-10 s against
 * an endpoint that hangs or refuses. On Node, every timer, socket or other handle created while the
 * exporter runs (its creation, `export`, `forceFlush`, `shutdown`, and all they start, retries
 * included) is unref'd, and a `ref()` from the exporter's own code (an agent reusing a keep-alive
 * socket) is ignored, so none of them holds the process. Delivery is unchanged while the app runs
 * or waits: core's own bounded waits (an awaited flush or shutdown, the exit flush) hold it.
 *
 * Elsewhere (edge runtimes, browsers, Bun, Deno, Node before 20.16) the exporter is used as it is.
 */
export function containExporterHandles(create: () => SpanExporter): SpanExporter {
  const guard = handleGuard();
  if (!guard) return create();
  const exporter = guard.run(create);
  const contained: SpanExporter = {
    export: (spans, done) => guard.run(() => exporter.export(spans, done)),
    shutdown: () => guard.run(() => exporter.shutdown()),
  };
  const forceFlush = exporter.forceFlush;
  // Only where the exporter has one: the pipeline asks for it by presence.
  if (typeof forceFlush === "function")
    contained.forceFlush = () => guard.run(() => forceFlush.call(exporter));
  return contained;
}

/** Whether the hook is installed in this process (it is, from the first foreign exporter on). */
export function handleGuardInstalled(): boolean {
  return guardOnce !== undefined && guardOnce !== null;
}

interface HandleGuard {
  run<T>(fn: () => T): T;
}

/** A handle as async_hooks hands it over: a Timeout, a TCP/pipe/UDP handle, an Immediate, ... */
interface Handle {
  unref(): unknown;
  ref?: (...args: unknown[]) => unknown;
}

interface AsyncHooksModule {
  createHook(callbacks: {
    init(asyncId: number, type: string, triggerAsyncId: number, resource: object): void;
  }): { enable(): unknown };
}

interface NodeProcess {
  versions?: Record<string, string | undefined>;
  getBuiltinModule?: (id: string) => unknown;
  nextTick?: (fn: () => void) => void;
}

let guardOnce: HandleGuard | null | undefined;

/**
 * One hook for the process, created with the first foreign exporter and never before: it sees
 * every async resource the app creates, so it is not installed for apps that do not need it.
 */
function handleGuard(): HandleGuard | null {
  if (guardOnce === undefined) guardOnce = createHandleGuard();
  return guardOnce;
}

function createHandleGuard(): HandleGuard | null {
  const g = globalThis as { process?: NodeProcess; Deno?: unknown };
  const proc = g.process;
  const versions = proc?.versions ?? {};
  // Bun and Deno answer to getBuiltinModule and report a Node version too, but their hooks see
  // few resources or none (Bun never calls them): not Node's guarantee, so not used there.
  if (typeof versions.node !== "string" || versions.bun !== undefined || g.Deno !== undefined) {
    return null;
  }
  let hooks: AsyncHooksModule | undefined;
  try {
    hooks = proc?.getBuiltinModule?.("node:async_hooks") as AsyncHooksModule | undefined;
  } catch {
    return null;
  }
  const nextTick = proc?.nextTick;
  if (typeof hooks?.createHook !== "function" || typeof nextTick !== "function") return null;

  // The shared store core already propagates: no second AsyncLocalStorage for every promise to carry.
  const marker = createContextStore<true>();
  const inExporter = () => marker.get() === true;
  // A handle cannot be unref'd while it is being constructed (its constructor re-arms it after the
  // hook ran), so the ones seen are released on the next tick, before the event loop goes on.
  let pending: Handle[] = [];
  const release = () => {
    const handles = pending;
    pending = [];
    for (const handle of handles) contain(handle, inExporter);
  };
  hooks
    .createHook({
      init(_id, type, _trigger, resource) {
        // An Immediate runs at the next turn and is gone: unref'ing it holds nothing back, but
        // would let the process end before it ran (core's slice scheduler queues its turns so).
        if (type === "PROMISE" || type === "Immediate" || !inExporter()) return;
        if (typeof (resource as Partial<Handle>).unref !== "function") return;
        pending.push(resource as Handle);
        if (pending.length === 1) nextTick(release);
      },
    })
    .enable();
  return {
    run<T>(fn: () => T): T {
      try {
        return marker.run(true, fn);
      } finally {
        release();
      }
    },
  };
}

/** Unrefs the handle, and from now on ignores `ref()` calls made by the exporter's own code. */
function contain(handle: Handle, inExporter: () => boolean): void {
  try {
    handle.unref();
    const ref = handle.ref;
    if (typeof ref !== "function") return;
    // The app may share a handle (a pooled socket of the global fetch): its own ref() still counts.
    handle.ref = function (this: Handle, ...args: unknown[]) {
      return inExporter() ? this : ref.apply(this, args);
    };
  } catch {
    // A handle already closed, or one that refuses: it holds nothing, or cannot be helped.
  }
}
