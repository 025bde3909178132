import { parseKeyPairsIntoRecord } from "@opentelemetry/core";
import type { EnvSource } from "@pipelex/telemetry-core";
import { validateEndpoint } from "@pipelex/telemetry-core/plugin";
import type { OtlpOptions } from "./options.js";

export type OtlpProtocol = "http/protobuf" | "http/json";
export type OtlpCompression = "none" | "gzip";

export const DEFAULT_TRACES_ENDPOINT = "http://localhost:4318/v1/traces";
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_PROTOCOL: OtlpProtocol = "http/protobuf";
export const DEFAULT_COMPRESSION: OtlpCompression = "none";

/** Where a setting came from: the option itself, a variable's name, or the default. */
export type SettingSource = "option" | "default" | `OTEL_EXPORTER_OTLP_${string}`;

/** What the exporter sends with, once options and the environment are combined. */
export interface ResolvedOtlpConfig {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly protocol: OtlpProtocol;
  readonly compression: OtlpCompression;
  readonly timeoutMillis: number;
  readonly sources: {
    readonly url: SettingSource;
    readonly headers: SettingSource | "none";
    readonly protocol: SettingSource;
    readonly compression: SettingSource;
    readonly timeoutMillis: SettingSource;
  };
  /** Variables that were set but unusable (ignored, as OpenTelemetry does); names only. */
  readonly warnings: readonly string[];
}

const PREFIX = "OTEL_EXPORTER_OTLP_";

/** The value of `OTEL_EXPORTER_OTLP_TRACES_<name>`, else of `OTEL_EXPORTER_OTLP_<name>`. */
function fromEnv(env: EnvSource, name: string): { value: string; variable: SettingSource } | undefined {
  for (const variable of [`${PREFIX}TRACES_${name}`, `${PREFIX}${name}`] as const) {
    const value = env[variable]?.trim();
    if (value) return { value, variable };
  }
  return undefined;
}

/**
 * Precedence, per setting: the explicit option > `OTEL_EXPORTER_OTLP_TRACES_*` >
 * `OTEL_EXPORTER_OTLP_*` (for the endpoint, `/v1/traces` is appended to this base URL) > the
 * OpenTelemetry default. Headers from the environment (`k=v,k2=v2`, URL-encoded values, the
 * `TRACES_` list winning key by key) apply only when the `headers` option is absent: an entry
 * that sets its own headers never also gets credentials meant for another collector.
 * `env` is the telemetry's environment, never read from `process.env` here.
 */
export function resolveOtlpConfig(options: OtlpOptions, env: EnvSource): ResolvedOtlpConfig {
  const warnings: string[] = [];

  let url = options.endpoint;
  let urlSource: SettingSource = "option";
  if (url === undefined) {
    const traces = env[`${PREFIX}TRACES_ENDPOINT`]?.trim();
    const base = env[`${PREFIX}ENDPOINT`]?.trim();
    if (traces) {
      url = traces;
      urlSource = `${PREFIX}TRACES_ENDPOINT`;
    } else if (base) {
      url = `${base.replace(/\/+$/, "")}/v1/traces`;
      urlSource = `${PREFIX}ENDPOINT`;
    } else {
      url = DEFAULT_TRACES_ENDPOINT;
      urlSource = "default";
    }
    // Same rules as an explicit endpoint; the error names the variable, never its value.
    if (urlSource !== "default") validateEndpoint(url, { keyPath: urlSource });
  }

  let headers: Record<string, string> = {};
  let headersSource: SettingSource | "none" = "none";
  if (options.headers !== undefined) {
    headers = { ...options.headers };
    headersSource = "option";
  } else {
    const generic = parseKeyPairsIntoRecord(env[`${PREFIX}HEADERS`]);
    const traces = parseKeyPairsIntoRecord(env[`${PREFIX}TRACES_HEADERS`]);
    headers = { ...generic, ...traces };
    if (Object.keys(traces).length > 0) headersSource = `${PREFIX}TRACES_HEADERS`;
    else if (Object.keys(generic).length > 0) headersSource = `${PREFIX}HEADERS`;
  }

  let protocol: OtlpProtocol = DEFAULT_PROTOCOL;
  let protocolSource: SettingSource = "default";
  if (options.protocol !== undefined) {
    protocol = options.protocol;
    protocolSource = "option";
  } else {
    const found = fromEnv(env, "PROTOCOL");
    if (found && (found.value === "http/protobuf" || found.value === "http/json")) {
      protocol = found.value;
      protocolSource = found.variable;
    } else if (found) {
      warnings.push(
        `${found.variable} is not http/protobuf or http/json (grpc is not supported); using ${DEFAULT_PROTOCOL}`,
      );
    }
  }

  let compression: OtlpCompression = DEFAULT_COMPRESSION;
  let compressionSource: SettingSource = "default";
  if (options.compression !== undefined) {
    compression = options.compression;
    compressionSource = "option";
  } else {
    const found = fromEnv(env, "COMPRESSION");
    if (found && (found.value === "gzip" || found.value === "none")) {
      compression = found.value;
      compressionSource = found.variable;
    } else if (found) {
      warnings.push(`${found.variable} is not gzip or none; sending uncompressed`);
    }
  }

  let timeoutMillis = DEFAULT_TIMEOUT_MS;
  let timeoutSource: SettingSource = "default";
  if (options.timeoutMs !== undefined) {
    timeoutMillis = options.timeoutMs;
    timeoutSource = "option";
  } else {
    const found = fromEnv(env, "TIMEOUT");
    const parsed = found ? Number(found.value) : Number.NaN;
    if (found && Number.isFinite(parsed) && parsed > 0) {
      timeoutMillis = parsed;
      timeoutSource = found.variable;
    } else if (found) {
      warnings.push(
        `${found.variable} is not a positive number of milliseconds; using ${DEFAULT_TIMEOUT_MS}`,
      );
    }
  }

  return {
    url,
    headers,
    protocol,
    compression,
    timeoutMillis,
    sources: {
      url: urlSource,
      headers: headersSource,
      protocol: protocolSource,
      compression: compressionSource,
      timeoutMillis: timeoutSource,
    },
    warnings,
  };
}
