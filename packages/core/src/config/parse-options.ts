import type { z } from "zod";
import { type ConfigErrorLocation, TelemetryConfigError } from "../errors.js";

const PLACEHOLDER = /\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)\}/;

/** Where options came from, for error messages: the config file and the section's key path. */
export interface OptionsSource {
  readonly file?: string | undefined;
  readonly keyPath?: string | undefined;
}

export function joinKeyPath(base: string | undefined, ...parts: (string | number)[]): string {
  return [base, ...parts.map(String)].filter((p) => p !== undefined && p !== "").join(".");
}

/** snake_case TOML key -> camelCase option name. */
export function toCamelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** camelCase option name -> snake_case TOML key (for error messages that point into a file). */
export function toSnakeCase(key: string): string {
  // Only a capital that follows a lower-case letter or digit marks a camelCase boundary, so
  // free-form keys such as an `Authorization` header are reported as written.
  return key.replace(/(?<=[a-z0-9])[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * Validates `raw` with a zod schema; the first problem becomes a TelemetryConfigError naming the
 * file, the key path (snake_case when it came from a file) and what was expected. Values are
 * never quoted in the message: they may be secrets.
 */
export function parseOptionsWith<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  source: OptionsSource = {},
): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const fromFile = source.file !== undefined;
  const path = issue.path.map((p) => (typeof p === "string" && fromFile ? toSnakeCase(p) : String(p)));
  const keyPath = joinKeyPath(source.keyPath, ...path);
  const location: ConfigErrorLocation = { file: source.file, keyPath, expected: describeExpected(issue) };
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.map((k) => (fromFile ? toSnakeCase(k) : k));
    throw new TelemetryConfigError(
      `unknown key${keys.length > 1 ? "s" : ""} ${keys.map((k) => `"${k}"`).join(", ")}`,
      {
        ...location,
        expected: undefined,
      },
    );
  }
  throw new TelemetryConfigError(issue.message, location);
}

function describeExpected(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code === "invalid_type") return String(issue.expected);
  if (issue.code === "invalid_value")
    return `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  return undefined;
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
