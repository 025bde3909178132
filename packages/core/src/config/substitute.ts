import type { EnvSource } from "../kill-switch/do-not-track.js";

const PLACEHOLDERS = /\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces `${VAR}` and `${env:VAR}` in every string of a parsed config tree. A variable that is
 * not set leaves its placeholder in place: whether that is an error depends on whether the
 * section is on, which is decided later (the shipped template references variables most users
 * never set).
 */
export function substituteEnv<T>(value: T, env: EnvSource): T {
  return substitute(value, env) as T;
}

function substitute(value: unknown, env: EnvSource): unknown {
  if (typeof value === "string") {
    return value.replace(PLACEHOLDERS, (placeholder, name: string) => env[name] ?? placeholder);
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, env));
  if (isPlainTable(value)) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) result[key] = substitute(item, env);
    return result;
  }
  return value;
}

/** A TOML table as smol-toml returns it (dates are class instances, not tables). */
export function isPlainTable(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Names of the variables still unresolved in a value tree, with the key path of each. */
export function findUnresolved(value: unknown, keyPath: string): { keyPath: string; variable: string }[] {
  if (typeof value === "string") {
    return [...value.matchAll(PLACEHOLDERS)].map((m) => ({ keyPath, variable: m[1]! }));
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => findUnresolved(item, `${keyPath}[${i}]`));
  if (isPlainTable(value)) {
    return Object.entries(value).flatMap(([key, item]) => findUnresolved(item, `${keyPath}.${key}`));
  }
  return [];
}
