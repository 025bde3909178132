import {
  type EnvSource,
  InvalidEndpointError,
  joinKeyPath,
  type ParseContext,
  parseOptionsWith,
  TelemetryConfigError,
  unresolvedPlaceholder,
  validateEndpoint,
} from "@pipelex/telemetry-core/plugin";
import { z } from "zod";
import { resolveOtlpConfig } from "./config.js";

/**
 * `otlp({...})` in app code and an `[[otlp]]` entry in telemetry.toml (core converts the file's
 * snake_case keys, and leaves `headers` keys as written): one schema, strict.
 */
export const otlpOptionsSchema = z.strictObject({
  name: z.string().min(1),
  /** Defaults to OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces, then localhost:4318. */
  endpoint: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  protocol: z.enum(["http/protobuf", "http/json"]).optional(),
  compression: z.enum(["none", "gzip"]).optional(),
  timeoutMs: z.number().int().positive().optional(),
});
export type OtlpOptionsInput = z.input<typeof otlpOptionsSchema>;

/** Parsed options, with the telemetry environment when it was known at parse time (from a file). */
export type OtlpOptions = z.output<typeof otlpOptionsSchema> & { readonly env?: EnvSource | undefined };

/** RFC 9110 token: what a header name may be. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function keyPathOf(source: Partial<ParseContext>, ...parts: string[]): string {
  return joinKeyPath(source.keyPath, ...parts);
}

/**
 * Validates `otlp({...})` options and `[[otlp]]` entries with core's shared schema, then what
 * the schema cannot say: the endpoint (https except loopback, no credentials in the URL), header
 * names, and header values without line breaks or unresolved `${VAR}`. Errors name the key,
 * never a value: header values are secrets.
 */
export function parseOtlpOptions(raw: unknown, source: Partial<ParseContext> = {}): OtlpOptions {
  const options = parseOptionsWith(otlpOptionsSchema, raw, source);
  if (options.endpoint !== undefined) {
    const keyPath = keyPathOf(source, "endpoint");
    const variable = unresolvedPlaceholder(options.endpoint);
    if (variable) {
      throw new InvalidEndpointError(
        `uses \${${variable}}, which is not set: set the environment variable ${variable}`,
        {
          file: source.file,
          keyPath,
          expected: "a resolved URL",
        },
      );
    }
    validateEndpoint(options.endpoint, { file: source.file, keyPath });
  }
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    const keyPath = keyPathOf(source, "headers", name);
    if (!HEADER_NAME.test(name)) {
      throw new TelemetryConfigError("is not a valid HTTP header name", {
        file: source.file,
        keyPath,
        expected: "an HTTP token",
      });
    }
    if (/[\r\n\0]/.test(value)) {
      throw new TelemetryConfigError("contains a line break", {
        file: source.file,
        keyPath,
        expected: "a single-line value",
      });
    }
    const variable = unresolvedPlaceholder(value);
    if (variable) {
      throw new TelemetryConfigError(
        `a required secret is unresolved: set the environment variable ${variable}`,
        {
          file: source.file,
          keyPath,
          expected: "a resolved value",
        },
      );
    }
  }
  // With the environment known, an OTEL_EXPORTER_OTLP_* endpoint is checked now (the error names the variable).
  if (source.env !== undefined) resolveOtlpConfig(options, source.env);
  return { ...options, env: source.env };
}
