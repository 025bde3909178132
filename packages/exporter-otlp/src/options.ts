import {
  InvalidEndpointError,
  type OtlpOptions,
  otlpOptionsSchema,
  type ParseContext,
  parseOptionsWith,
  TelemetryConfigError,
  unresolvedPlaceholder,
  validateEndpoint,
} from "@pipelex/telemetry-core/plugin";

export type { OtlpOptions };

/** RFC 9110 token: what a header name may be. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function keyPathOf(source: ParseContext, ...parts: string[]): string {
  return [source.keyPath, ...parts].filter((p) => p !== undefined && p !== "").join(".");
}

/**
 * Validates `otlp({...})` options and `[[otlp]]` entries with core's shared schema, then what
 * the schema cannot say: the endpoint (https except loopback, no credentials in the URL), header
 * names, and header values without line breaks or unresolved `${VAR}`. Errors name the key,
 * never a value: header values are secrets.
 */
export function parseOtlpOptions(raw: unknown, source: ParseContext = {}): OtlpOptions {
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
  return options;
}
