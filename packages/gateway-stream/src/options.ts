import type { EnvSource } from "@pipelex/telemetry-core";
import { GatewayApiKeyMissingError } from "@pipelex/telemetry-core";
import {
  type OptionsSource,
  type PluginDescription,
  parseOptionsWith,
  requireSecret,
  TelemetryConfigError,
  unresolvedPlaceholder,
  validateEndpoint,
} from "@pipelex/telemetry-core/plugin";
import { z } from "zod";
import {
  API_KEY_VAR,
  DEFAULT_REMOTE_CONFIG_URL,
  DEFAULT_START_TIMEOUT_MS,
  REMOTE_CONFIG_URL_VAR,
} from "./constants.js";

/** The keys `gatewayStream()` accepts; strict, so nothing can widen or switch off the stream. */
export const gatewayOptionsSchema = z.strictObject({
  apiKey: z.string().optional(),
  endpoint: z.string().optional(),
  projectKey: z.string().optional(),
  remoteConfigUrl: z.string().optional(),
});
export type GatewayOptionsInput = z.input<typeof gatewayOptionsSchema>;

/**
 * What `gatewayStream()` accepts: the `[gateway]` schema's keys (apiKey, endpoint, projectKey,
 * remoteConfigUrl) plus two code-only keys. Nothing here can widen what is sent or switch the
 * stream off: unknown keys (`allow`, `redact`, `enabled`, `delivery`, ...) are errors.
 */
export interface GatewayStreamOptions extends GatewayOptionsInput {
  /** Where PIPELEX_GATEWAY_API_KEY, PIPELEX_REMOTE_CONFIG_URL and DO_NOT_TRACK are read. Default `process.env` where there is one. */
  env?: EnvSource;
  /** Bound for fetching the remote config, at most (and by default) 5000 ms. */
  startTimeoutMs?: number;
}

export interface ResolvedGatewayOptions {
  readonly apiKey: string;
  /** Given by the app; the remote config fills what is missing. */
  readonly endpoint: URL | undefined;
  readonly projectKey: string | undefined;
  readonly remoteConfigUrl: URL;
  readonly startTimeoutMs: number;
}

/** Splits the code-only keys off and validates the rest with core's strict gateway schema. */
export function splitGatewayOptions(options: unknown): {
  raw: unknown;
  env: EnvSource | undefined;
  startTimeoutMs: unknown;
} {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    return { raw: options, env: undefined, startTimeoutMs: undefined };
  }
  const { env, startTimeoutMs, ...raw } = options as GatewayStreamOptions;
  if (env !== undefined && (typeof env !== "object" || env === null)) {
    throw new TelemetryConfigError("must be an environment object", {
      keyPath: "env",
      expected: "an object such as process.env",
    });
  }
  return { raw, env, startTimeoutMs };
}

export function resolveGatewayOptions(
  raw: unknown,
  env: EnvSource,
  startTimeoutMs?: unknown,
  source?: OptionsSource,
): ResolvedGatewayOptions {
  const parsed = parseOptionsWith(gatewayOptionsSchema, raw, source);
  return {
    apiKey: resolveApiKey(parsed.apiKey, env),
    endpoint:
      parsed.endpoint === undefined ? undefined : validateEndpoint(parsed.endpoint, { keyPath: "endpoint" }),
    projectKey:
      parsed.projectKey === undefined
        ? undefined
        : requireSecret(parsed.projectKey, { keyPath: "projectKey" }),
    remoteConfigUrl: validateEndpoint(
      nonEmpty(parsed.remoteConfigUrl) ?? nonEmpty(env[REMOTE_CONFIG_URL_VAR]) ?? DEFAULT_REMOTE_CONFIG_URL,
      { keyPath: parsed.remoteConfigUrl !== undefined ? "remoteConfigUrl" : REMOTE_CONFIG_URL_VAR },
    ),
    startTimeoutMs: resolveStartTimeout(startTimeoutMs),
  };
}

/** The option wins over the variable; missing, blank or an unresolved `${...}` is GatewayApiKeyMissingError. */
function resolveApiKey(option: string | undefined, env: EnvSource): string {
  const value = option ?? env[API_KEY_VAR];
  if (value === undefined || value.trim() === "" || unresolvedPlaceholder(value) !== undefined) {
    throw new GatewayApiKeyMissingError();
  }
  return value;
}

function resolveStartTimeout(value: unknown): number {
  if (value === undefined) return DEFAULT_START_TIMEOUT_MS;
  if (
    typeof value !== "number" ||
    !Number.isFinite(value) ||
    value <= 0 ||
    value > DEFAULT_START_TIMEOUT_MS
  ) {
    throw new TelemetryConfigError("is out of range", {
      keyPath: "startTimeoutMs",
      expected: `a number of milliseconds above 0 and at most ${DEFAULT_START_TIMEOUT_MS}`,
    });
  }
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/** The process environment where there is one (Node, Bun, Deno); an empty object on other runtimes. */
export function processEnv(): EnvSource {
  return (globalThis as { process?: { env?: EnvSource } }).process?.env ?? {};
}

/** For `pipelex-telemetry status`: where it sends, by origin only, no secret. */
export function describeGateway(options: ResolvedGatewayOptions): PluginDescription {
  return {
    sendsTo: options.endpoint?.origin ?? `from the remote config (${options.remoteConfigUrl.origin})`,
    receives: "metadata only",
    redacts: [
      "everything outside a fixed allowlist: no content, no pipe codes, no class names, no span names",
    ],
    details: { mandatory: true },
  };
}
