/**
 * Carries the current pipe frame across `await` without touching the host's global
 * OpenTelemetry context manager (the host may run Sentry or its own OTel).
 *
 * Uses AsyncLocalStorage where the runtime has one (Node via process.getBuiltinModule,
 * edge runtimes that expose it globally); elsewhere falls back to a synchronous stack, which
 * nests correctly for synchronous callbacks only. No top-level Node built-in import.
 */
export interface ContextStore<T> {
  get(): T | undefined;
  run<R>(value: T, fn: () => R): R;
}

interface AsyncLocalStorageLike<T> {
  getStore(): T | undefined;
  run<R>(store: T, fn: () => R): R;
}
type AsyncLocalStorageCtor = new <T>() => AsyncLocalStorageLike<T>;

function findAsyncLocalStorage(): AsyncLocalStorageCtor | undefined {
  const g = globalThis as {
    AsyncLocalStorage?: AsyncLocalStorageCtor;
    process?: {
      getBuiltinModule?: (id: string) => { AsyncLocalStorage?: AsyncLocalStorageCtor } | undefined;
    };
  };
  if (typeof g.AsyncLocalStorage === "function") return g.AsyncLocalStorage;
  try {
    return g.process?.getBuiltinModule?.("node:async_hooks")?.AsyncLocalStorage;
  } catch {
    return undefined;
  }
}

class SyncStackStore<T> implements ContextStore<T> {
  private current: T | undefined;
  get(): T | undefined {
    return this.current;
  }
  run<R>(value: T, fn: () => R): R {
    const previous = this.current;
    this.current = value;
    try {
      return fn();
    } finally {
      this.current = previous;
    }
  }
}

/** One frame of the shared store: whose it is, its value, and the frame it was opened in. */
interface OwnedFrame {
  readonly owner: object;
  readonly value: unknown;
  readonly outer: OwnedFrame | undefined;
}

// One AsyncLocalStorage for every telemetry instance: Node copies each live storage's value onto
// every promise, so a storage per instance would make every promise in the app cost more with
// each instance created.
let shared: AsyncLocalStorageLike<OwnedFrame> | null | undefined;
function sharedStorage(): AsyncLocalStorageLike<OwnedFrame> | null {
  if (shared === undefined) {
    const Als = findAsyncLocalStorage();
    shared = Als ? new Als<OwnedFrame>() : null;
  }
  return shared;
}

export function createContextStore<T>(): ContextStore<T> {
  const als = sharedStorage();
  if (!als) return new SyncStackStore<T>();
  const owner = {};
  return {
    get(): T | undefined {
      // Usually the innermost frame is ours; another instance's frames are skipped, not lost.
      for (let frame = als.getStore(); frame !== undefined; frame = frame.outer) {
        if (frame.owner === owner) return frame.value as T;
      }
      return undefined;
    },
    run: (value, fn) => als.run({ owner, value, outer: als.getStore() }, fn),
  };
}
