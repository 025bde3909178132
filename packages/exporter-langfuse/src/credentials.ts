import { LangfuseCredentialsError } from "@pipelex/telemetry-core";
import { type ParseContext, validateEndpoint } from "@pipelex/telemetry-core/plugin";
import {
  DEFAULT_BASE_URL,
  describeKey,
  keyPath,
  LANGFUSE_ENV,
  type LangfuseDestinationOptions,
} from "./options.js";

type EnvSource = Readonly<Record<string, string | undefined>>;

/** What the exporter needs to talk to Langfuse. */
export interface LangfuseConnection {
  readonly baseUrl: string;
  readonly publicKey: string;
  readonly secretKey: string;
}

/**
 * Options first, then the telemetry environment (`createTelemetry({ env })`, else
 * `process.env`) under the variable names the Langfuse SDK itself reads. A missing key is a
 * LangfuseCredentialsError naming the option and the variable, never a value.
 */
export function resolveConnection(options: LangfuseDestinationOptions, env: EnvSource): LangfuseConnection {
  const publicKey = options.publicKey ?? fromEnv(env, LANGFUSE_ENV.PUBLIC_KEY, "publicKey", options.source);
  const secretKey = options.secretKey ?? fromEnv(env, LANGFUSE_ENV.SECRET_KEY, "secretKey", options.source);
  return { baseUrl: resolveBaseUrl(options, env), publicKey, secretKey };
}

function fromEnv(
  env: EnvSource,
  variable: string,
  option: "publicKey" | "secretKey",
  source: ParseContext,
): string {
  const value = env[variable]?.trim();
  if (value === undefined || value === "") {
    throw new LangfuseCredentialsError(
      `Langfuse is enabled but its ${describeKey(option)} is missing: set the environment variable ${variable} or pass ${option}`,
      { file: source.file, keyPath: keyPath(source, option), expected: "a non-empty value" },
    );
  }
  return value;
}

function resolveBaseUrl(options: LangfuseDestinationOptions, env: EnvSource): string {
  if (options.endpoint !== undefined) return options.endpoint;
  const fromVariable = env[LANGFUSE_ENV.BASE_URL]?.trim().replace(/\/+$/, "");
  if (!fromVariable) return DEFAULT_BASE_URL;
  validateEndpoint(fromVariable, { keyPath: LANGFUSE_ENV.BASE_URL });
  return fromVariable;
}
