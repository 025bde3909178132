import type { EnvSource } from "../kill-switch/do-not-track.js";
import { scanPlaceholders } from "./placeholders.js";

/**
 * Gives `${secret:NAME}` its value (and `${NAME}` when the variable is not set): a vault, a
 * cloud secret manager, a keychain. `undefined` means "no such secret".
 */
export type SecretsProvider = (name: string) => string | undefined | Promise<string | undefined>;

/** A placeholder that could not be used, at a key path as written (`otlp[0].headers.Authorization`). */
export interface PlaceholderIssue {
  readonly keyPath: string;
  /** Names the placeholder as written; never a value. */
  readonly message: string;
}

export interface Substituted<T> {
  readonly value: T;
  /**
   * Mistyped placeholders and secrets that could not be had, by key path. Whether each is an
   * error depends on whether its stream is on, which is decided later. A `${VAR}` or
   * `${env:VAR}` whose variable is not set is not listed: it stays in place, as before.
   */
  readonly issues: readonly PlaceholderIssue[];
}

export interface PlaceholderSources {
  readonly env: EnvSource;
  readonly secrets?: SecretsProvider | undefined;
}

/**
 * Replaces the placeholders of every string of a parsed config tree. A placeholder that cannot
 * be resolved is left as written; the secrets provider is asked once per name, and only for
 * the names the tree needs.
 */
export async function resolvePlaceholders<T>(tree: T, sources: PlaceholderSources): Promise<Substituted<T>> {
  const secrets = await fetchSecrets(secretNamesNeeded(tree, sources.env), sources.secrets);
  const issues: PlaceholderIssue[] = [];
  const value = mapStrings(tree, "", (text, keyPath) =>
    substituteString(text, keyPath, sources, secrets, issues),
  );
  return { value: value as T, issues };
}

/** `${VAR}` and `${env:VAR}` only, synchronously (no secrets provider); mistakes stay as written. */
export function substituteEnv<T>(tree: T, env: EnvSource): T {
  const none: FetchedSecrets = { values: new Map(), failures: new Map() };
  return mapStrings(tree, "", (text, keyPath) => substituteString(text, keyPath, { env }, none, [])) as T;
}

interface FetchedSecrets {
  readonly values: ReadonlyMap<string, string>;
  /** Why a name has no value, when the reason is not simply "not found". */
  readonly failures: ReadonlyMap<string, string>;
}

function secretNamesNeeded(tree: unknown, env: EnvSource): Set<string> {
  const names = new Set<string>();
  forEachString(tree, "", (text) => {
    for (const token of scanPlaceholders(text)) {
      if (!token.valid) continue;
      for (const source of token.sources) {
        // Sources are tried in order: a set environment variable ends the chain.
        if (source.kind !== "secret" && env[source.name] !== undefined) break;
        if (source.kind !== "env") names.add(source.name);
      }
    }
  });
  return names;
}

async function fetchSecrets(
  names: Set<string>,
  provider: SecretsProvider | undefined,
): Promise<FetchedSecrets> {
  const values = new Map<string, string>();
  const failures = new Map<string, string>();
  if (!provider) return { values, failures };
  await Promise.all(
    [...names].map(async (name) => {
      try {
        const value = await provider(name);
        if (typeof value === "string") values.set(name, value);
        else if (value !== undefined)
          failures.set(name, `the secrets provider returned a ${typeof value} for "${name}"`);
      } catch (error) {
        // Only the class name: a provider's message may quote what it fetched.
        const kind = error instanceof Error ? error.name : typeof error;
        failures.set(name, `the secrets provider failed for "${name}" (${kind})`);
      }
    }),
  );
  return { values, failures };
}

function substituteString(
  text: string,
  keyPath: string,
  sources: PlaceholderSources,
  secrets: FetchedSecrets,
  issues: PlaceholderIssue[],
): string {
  const tokens = scanPlaceholders(text);
  if (tokens.length === 0) return text;
  let out = "";
  let last = 0;
  for (const token of tokens) {
    out += text.slice(last, token.start);
    last = token.end;
    if (!token.valid) {
      issues.push({ keyPath, message: token.problem });
      out += text.slice(token.start, token.end);
      continue;
    }
    let resolved: string | undefined;
    const misses: string[] = [];
    for (const source of token.sources) {
      if (source.kind !== "secret" && sources.env[source.name] !== undefined) {
        resolved = sources.env[source.name];
        break;
      }
      if (source.kind === "env") continue;
      const secret = secrets.values.get(source.name);
      if (secret !== undefined) {
        resolved = secret;
        break;
      }
      if (source.kind !== "secret") continue;
      misses.push(
        secrets.failures.get(source.name) ??
          (sources.secrets
            ? `the secrets provider has no secret "${source.name}"`
            : `no secrets provider was given (pass \`secrets\` to loadTelemetry) to resolve "secret:${source.name}"`),
      );
    }
    if (resolved !== undefined) {
      out += resolved;
      continue;
    }
    out += token.text;
    // A plain unset variable stays as it always has: the stream decides whether it matters.
    if (misses.length > 0 || token.sources.length > 1) {
      const why = misses.length > 0 ? misses.join("; ") : "none of its sources is set";
      issues.push({ keyPath, message: `"${token.text}" cannot be resolved: ${why}` });
    }
  }
  return out + text.slice(last);
}

function mapStrings(value: unknown, keyPath: string, fn: (text: string, keyPath: string) => string): unknown {
  if (typeof value === "string") return fn(value, keyPath);
  if (Array.isArray(value)) return value.map((item, i) => mapStrings(item, `${keyPath}[${i}]`, fn));
  if (isPlainTable(value)) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      result[key] = mapStrings(item, keyPath === "" ? key : `${keyPath}.${key}`, fn);
    }
    return result;
  }
  return value;
}

function forEachString(value: unknown, keyPath: string, fn: (text: string, keyPath: string) => void): void {
  mapStrings(value, keyPath, (text, at) => {
    fn(text, at);
    return text;
  });
}

/** Issues found at `keyPath` or below it (a section, an `[[otlp]]` entry). */
export function issuesUnder(issues: readonly PlaceholderIssue[], keyPath: string): PlaceholderIssue[] {
  return issues.filter(
    (i) =>
      i.keyPath === keyPath || i.keyPath.startsWith(`${keyPath}.`) || i.keyPath.startsWith(`${keyPath}[`),
  );
}

/** A TOML table as smol-toml returns it (dates are class instances, not tables). */
export function isPlainTable(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Names of the environment variables still unresolved in a value tree (`${VAR}`,
 * `${env:VAR}`), with the key path of each.
 */
export function findUnresolved(value: unknown, keyPath: string): { keyPath: string; variable: string }[] {
  const found: { keyPath: string; variable: string }[] = [];
  forEachString(value, keyPath, (text, at) => {
    for (const token of scanPlaceholders(text)) {
      const [only] = token.valid && token.sources.length === 1 ? token.sources : [];
      if (only && only.kind !== "secret") found.push({ keyPath: at, variable: only.name });
    }
  });
  return found;
}
