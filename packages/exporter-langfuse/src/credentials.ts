import { LangfuseCredentialsError } from "@pipelex/telemetry-core";
import { InvalidEndpointError, type OptionsSource, validateEndpoint } from "@pipelex/telemetry-core/plugin";
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
  source: OptionsSource,
): string {
  const value = env[variable]?.trim();
  if (value === undefined || value === "") {
    throw new LangfuseCredentialsError(
      `Langfuse is enabled but its ${describeKey(option)} is missing: set the environment variable ${variable}, or set the ${describeKey(option)} in the options`,
      { file: source.file, keyPath: keyPath(source, option), expected: "a non-empty value" },
    );
  }
  return value;
}

function resolveBaseUrl(options: LangfuseDestinationOptions, env: EnvSource): string {
  if (options.endpoint !== undefined) return options.endpoint;
  const fromVariable = env[LANGFUSE_ENV.BASE_URL]?.trim().replace(/\/+$/, "");
  if (!fromVariable) return DEFAULT_BASE_URL;
  try {
    validateEndpoint(fromVariable);
  } catch (error) {
    // The option was not set: say that the value came from the variable, never the value.
    if (!(error instanceof InvalidEndpointError)) throw error;
    throw new InvalidEndpointError(
      `is not set, and ${LANGFUSE_ENV.BASE_URL}, used instead, ${error.problems[0]?.message ?? "is invalid"}`,
      { file: options.source.file, keyPath: keyPath(options.source, "endpoint"), expected: error.expected },
    );
  }
  return fromVariable;
}
