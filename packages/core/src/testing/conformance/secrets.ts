import { maskSecret } from "../../plugin/logger.js";

/** A value the plugin must never write anywhere: where it came from, never the value, is reported. */
export interface KnownSecret {
  readonly value: string;
  /** `options.headers.Authorization`, `secrets()`, `the secrets option`. */
  readonly from: string;
  /** Whether `secrets(options)` covers it (core masks and scrubs only declared secrets). */
  readonly declared: boolean;
}

/** Option keys that hold credentials; every value under a `headers` key counts too. */
const SECRET_KEY = /key|token|secret|passw|auth|credential|cookie/i;
/** Identifiers named like keys but public by design (Langfuse's `publicKey`). */
const PUBLIC_KEY = /^public/i;
/** Shorter values would match ordinary text by chance. */
const MIN_SECRET_LENGTH = 6;

/**
 * The secrets in a plugin's options: what `secrets(options)` declares, what the caller names,
 * and every string under a credential-shaped key (`apiKey`, `secret_key`, `headers.*`; not
 * `public…` identifiers), with the
 * credential part of `Bearer …`/`Basic …` values on its own.
 */
export function collectSecrets(
  raw: unknown,
  declared: readonly unknown[],
  named: readonly string[],
): KnownSecret[] {
  const declaredValues = declared.filter((s): s is string => typeof s === "string" && s.length > 0);
  const isDeclared = (value: string) => declaredValues.some((d) => d === value || d.includes(value));
  const found = new Map<string, KnownSecret>();
  const add = (value: string, from: string) => {
    if (value.length < MIN_SECRET_LENGTH || found.has(value)) return;
    found.set(value, { value, from, declared: isDeclared(value) });
    const credential = /^(?:bearer|basic|token)\s+(\S+)$/i.exec(value)?.[1];
    if (credential) add(credential, from);
  };
  for (const value of declaredValues) add(value, "secrets()");
  for (const value of named) add(value, "the secrets option");
  const walk = (value: unknown, path: string, underSecret: boolean, seen: Set<unknown>) => {
    if (typeof value === "string") {
      if (underSecret) add(value, path);
      return;
    }
    if (typeof value !== "object" || value === null || seen.has(value)) return;
    seen.add(value);
    for (const [key, child] of Object.entries(value)) {
      const childPath = Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`;
      const secretKey = SECRET_KEY.test(key) && !PUBLIC_KEY.test(key);
      walk(child, childPath, underSecret || secretKey || /^headers$/i.test(key), seen);
    }
  };
  walk(raw, "options", false, new Set());
  return [...found.values()];
}

/** Replaces every known secret in `text` by its masked form (for pass-through output). */
export function maskKnownSecrets(secrets: readonly KnownSecret[]): (text: string) => string {
  const ordered = [...secrets].sort((a, b) => b.value.length - a.value.length);
  return (text) => {
    let result = text;
    for (const { value } of ordered)
      if (result.includes(value)) result = result.split(value).join(maskSecret(value));
    return result;
  };
}

/** The secrets that appear in `text`. */
export function secretsIn(text: string, secrets: readonly KnownSecret[]): KnownSecret[] {
  return secrets.filter((s) => text.includes(s.value));
}
