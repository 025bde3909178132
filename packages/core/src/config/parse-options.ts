import type { z } from "zod";
import { type ConfigProblem, TelemetryConfigError } from "../errors.js";
import { describeUnknownName } from "./suggestions.js";

const PLACEHOLDER = /\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)\}/;

/** Where options came from, for error messages: the config file and the options' key path. */
export interface OptionsSource {
  readonly file?: string | undefined;
  readonly keyPath?: string | undefined;
}

/** `joinKeyPath("otlp[0]", "headers", "Authorization")`; numbers become `[n]`. */
export function joinKeyPath(base: string | undefined, ...parts: (string | number | symbol)[]): string {
  let path = base ?? "";
  for (const part of parts) {
    if (typeof part === "number") path += `[${part}]`;
    else if (String(part) !== "") path = path === "" ? String(part) : `${path}.${String(part)}`;
  }
  return path;
}

/** snake_case TOML key -> camelCase option name. */
export function toCamelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** camelCase option name -> snake_case TOML key. */
export function toSnakeCase(key: string): string {
  // Only a capital that follows a lower-case letter or digit marks a camelCase boundary, so
  // free-form keys such as an `Authorization` header are reported as written.
  return key.replace(/(?<=[a-z0-9])[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * Validates camelCase `raw` with a zod schema. Every problem (not only the first) becomes one
 * entry of a single TelemetryConfigError, with the key path under `ctx.keyPath` in camelCase
 * (core turns it into the key as written in the file) and what was expected. Values are never
 * quoted: they may be secrets.
 */
export function parseOptionsWith<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  ctx: OptionsSource = {},
): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const spell = (key: string) => (ctx.file !== undefined ? toSnakeCase(key) : key);
  const problems: ConfigProblem[] = [];
  for (const issue of result.error.issues) {
    const keyPath = joinKeyPath(ctx.keyPath, ...issue.path.map((p) => (typeof p === "symbol" ? "" : p)));
    if (issue.code === "unrecognized_keys") {
      const valid = knownKeys(schema, issue.path);
      for (const key of issue.keys) {
        const { message, expected } = describeUnknownName("key", spell(key), valid.map(spell));
        problems.push({ file: ctx.file, keyPath: joinKeyPath(keyPath, key), message, expected });
      }
      continue;
    }
    problems.push({ file: ctx.file, keyPath, message: describeIssue(issue) });
  }
  throw TelemetryConfigError.fromProblems(problems);
}

/** zod's own words minus the value it received (which may be a secret). */
function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type") {
    return issue.input === undefined
      ? `is required (${String(issue.expected)})`
      : `must be ${String(issue.expected)}`;
  }
  if (issue.code === "invalid_value")
    return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  return issue.message;
}

/** The keys a strict object schema accepts at `path`, for "unknown key" messages. */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: unknown = schema;
  for (const part of [...path, undefined]) {
    node = unwrap(node);
    const shape = (node as { shape?: Record<string, unknown> } | undefined)?.shape;
    if (part === undefined) return shape ? Object.keys(shape) : [];
    if (!shape || typeof part !== "string") return [];
    node = shape[part];
  }
  return [];
}

function unwrap(node: unknown): unknown {
  let current = node as { def?: { innerType?: unknown; type?: string } } | undefined;
  // .default(), .optional(), .nullable() wrap the object schema they modify.
  while (current?.def?.innerType !== undefined) current = current.def.innerType as typeof current;
  return current;
}

/**
 * A required secret must be present and not an unresolved `${VAR}` placeholder. The error names
 * the variable (or the key), never the value.
 */
export function requireSecret(
  value: string | undefined,
  source: OptionsSource & { keyPath: string },
): string {
  if (value === undefined || value.trim() === "") {
    throw new TelemetryConfigError("a required secret is missing", {
      ...source,
      expected: "a non-empty value",
    });
  }
  const placeholder = PLACEHOLDER.exec(value);
  if (placeholder) {
    throw new TelemetryConfigError(
      `a required secret is unresolved: set the environment variable ${placeholder[1]}`,
      {
        ...source,
        expected: "a resolved value",
      },
    );
  }
  return value;
}

export function unresolvedPlaceholder(value: string): string | undefined {
  return PLACEHOLDER.exec(value)?.[1];
}
