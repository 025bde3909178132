import { LangfuseCredentialsError } from "@pipelex/telemetry-core";
import {
  joinKeyPath,
  type OptionsSource,
  type ParseContext,
  parseOptionsWith,
  unresolvedPlaceholder,
  validateEndpoint,
} from "@pipelex/telemetry-core/plugin";
import { z } from "zod";
import { resolveConnection } from "./credentials.js";

/** Langfuse's cloud, the SDK's own default. */
export const DEFAULT_BASE_URL = "https://cloud.langfuse.com";

/** The variables the Langfuse SDK reads; used here when an option is not given. */
export const LANGFUSE_ENV = {
  PUBLIC_KEY: "LANGFUSE_PUBLIC_KEY",
  SECRET_KEY: "LANGFUSE_SECRET_KEY",
  BASE_URL: "LANGFUSE_BASE_URL",
  ENVIRONMENT: "LANGFUSE_TRACING_ENVIRONMENT",
  RELEASE: "LANGFUSE_RELEASE",
} as const;

const positiveInt = z.number().int().positive();

/**
 * `langfuse({...})` in app code and `[langfuse]` in telemetry.toml (core converts the file's
 * snake_case keys): one schema, strict. Keys left out fall back to the `LANGFUSE_*` variables of
 * the telemetry environment (see `resolveConnection`), then Langfuse cloud.
 */
export const langfuseOptionsSchema = z.strictObject({
  enabled: z.boolean().default(false),
  endpoint: z.string().optional(),
  publicKey: z.string().optional(),
  secretKey: z.string().optional(),
  environment: z.string().optional(),
  release: z.string().optional(),
  flushAt: positiveInt.optional(),
  flushInterval: z.number().int().nonnegative().optional(),
});
export type LangfuseOptionsInput = z.input<typeof langfuseOptionsSchema>;

/**
 * Options after validation. A key that is `undefined` was not given (or was an empty string)
 * and is looked up in the telemetry environment when the exporter is created.
 */
export interface LangfuseDestinationOptions {
  readonly enabled: boolean;
  /** Validated base URL, or undefined to use LANGFUSE_BASE_URL, then Langfuse cloud. */
  readonly endpoint: string | undefined;
  readonly publicKey: string | undefined;
  readonly secretKey: string | undefined;
  readonly environment: string | undefined;
  readonly release: string | undefined;
  /** Spans per request (Langfuse SDK name); also core's batch size for this destination. */
  readonly flushAt: number | undefined;
  /** Seconds between scheduled flushes (Langfuse SDK unit). */
  readonly flushInterval: number | undefined;
  /** Where the options came from, for errors raised later in create(). */
  readonly source: OptionsSource;
}

/**
 * Validates `langfuse({...})` / `[langfuse]` options. When the destination is on, an endpoint
 * must be https (loopback excepted) without credentials, and a key still holding an unresolved
 * `${VAR}` is a LangfuseCredentialsError naming VAR. When the telemetry environment is known
 * (options from telemetry.toml), missing keys are looked up there now, as `create` does for app
 * code, so a file missing them fails at load time naming the variables. When it is off,
 * placeholders are left alone: the shipped template references variables most users never set.
 */
export function parseLangfuseOptions(
  raw: unknown,
  ctx: Partial<ParseContext> = {},
): LangfuseDestinationOptions {
  const source: OptionsSource = { file: ctx.file, keyPath: ctx.keyPath };
  const parsed = parseOptionsWith(langfuseOptionsSchema, raw, source);
  const options: LangfuseDestinationOptions = {
    enabled: parsed.enabled,
    endpoint: explicitEndpoint(parsed.endpoint),
    publicKey: nonEmpty(parsed.publicKey),
    secretKey: nonEmpty(parsed.secretKey),
    environment: nonEmpty(parsed.environment),
    release: nonEmpty(parsed.release),
    flushAt: parsed.flushAt,
    flushInterval: parsed.flushInterval,
    source,
  };
  if (!options.enabled) return options;
  if (options.endpoint !== undefined) {
    validateEndpoint(options.endpoint, { file: source.file, keyPath: keyPath(source, "endpoint") });
  }
  rejectPlaceholder(options.publicKey, "publicKey", source);
  rejectPlaceholder(options.secretKey, "secretKey", source);
  if (ctx.env === undefined) return options;
  // From telemetry.toml the environment is known: take the keys and URL from it now, as create()
  // would, so they are declared secrets (masked in logs, scrubbed from spans) and shown by status.
  const connection = resolveConnection(options, ctx.env);
  return {
    ...options,
    endpoint: connection.baseUrl,
    publicKey: connection.publicKey,
    secretKey: connection.secretKey,
  };
}

/**
 * The endpoint the user actually chose. The schema fills in the cloud default, which would hide
 * LANGFUSE_BASE_URL, so we look at the raw value; an empty string or an unresolved
 * `${LANGFUSE_BASE_URL}` (the template's line when the variable is unset) means "not chosen".
 */
function explicitEndpoint(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  if (trimmed === "" || unresolvedPlaceholder(trimmed) !== undefined) return undefined;
  return trimmed.replace(/\/+$/, "");
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

export function keyPath(source: OptionsSource, option: string): string {
  return joinKeyPath(source.keyPath, option);
}

function rejectPlaceholder(
  value: string | undefined,
  option: "publicKey" | "secretKey",
  source: OptionsSource,
): void {
  if (value === undefined) return;
  const variable = unresolvedPlaceholder(value);
  if (variable === undefined) return;
  throw new LangfuseCredentialsError(
    `Langfuse is enabled but its ${describeKey(option)} is an unresolved \${${variable}}: set the environment variable ${variable}`,
    { file: source.file, keyPath: keyPath(source, option), expected: "a resolved value" },
  );
}

export function describeKey(option: "publicKey" | "secretKey"): string {
  return option === "publicKey" ? "public key" : "secret key";
}
