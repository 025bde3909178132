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

export function createContextStore<T>(): ContextStore<T> {
  const Als = findAsyncLocalStorage();
  if (!Als) return new SyncStackStore<T>();
  const als = new Als<T>();
  return { get: () => als.getStore(), run: (value, fn) => als.run(value, fn) };
}
