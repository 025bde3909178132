/**
 * Every error core throws is one of these classes, so callers can branch on `instanceof`
 * and tests outside the repo can rely on the names. Messages never carry secret values.
 */
export class TelemetryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Where a configuration problem was found. */
export interface ConfigErrorLocation {
  /** Config file path, or `undefined` when the options came from app code. */
  readonly file?: string | undefined;
  /** Dotted key path such as `custom_posthog.tracing.enabled`. */
  readonly keyPath?: string | undefined;
  /** What was expected there, in plain words. */
  readonly expected?: string | undefined;
  /** 1-based line/column for TOML syntax errors. */
  readonly line?: number | undefined;
  readonly column?: number | undefined;
}

export class TelemetryConfigError extends TelemetryError {
  readonly file: string | undefined;
  readonly keyPath: string | undefined;
  readonly expected: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(problem: string, location: ConfigErrorLocation = {}, options?: { cause?: unknown }) {
    super(formatConfigMessage(problem, location), options);
    this.file = location.file;
    this.keyPath = location.keyPath;
    this.expected = location.expected;
    this.line = location.line;
    this.column = location.column;
  }
}

function formatConfigMessage(problem: string, at: ConfigErrorLocation): string {
  const where = [
    at.file ?? "options",
    at.line !== undefined
      ? `line ${at.line}${at.column !== undefined ? `, column ${at.column}` : ""}`
      : undefined,
    at.keyPath ? `key "${at.keyPath}"` : undefined,
  ]
    .filter(Boolean)
    .join(", ");
  const expected = at.expected ? ` (expected ${at.expected})` : "";
  return `${where}: ${problem}${expected}`;
}

export class PluginNotFoundError extends TelemetryError {
  readonly packageName: string;
  readonly installCommand: string;
  constructor(packageName: string, fromDir: string, options?: { cause?: unknown }) {
    const installCommand = `pnpm add ${packageName}`;
    super(
      `Telemetry plugin "${packageName}" is enabled in the config but is not installed (looked from ${fromDir}). Install it with: ${installCommand}`,
      options,
    );
    this.packageName = packageName;
    this.installCommand = installCommand;
  }
}

export class PluginApiVersionError extends TelemetryError {
  readonly packageName: string;
  readonly pluginApiVersion: unknown;
  readonly supportedApiVersions: readonly number[];
  constructor(packageName: string, pluginApiVersion: unknown, supported: readonly number[]) {
    super(
      `Telemetry plugin "${packageName}" declares apiVersion ${JSON.stringify(pluginApiVersion)}, but this @pipelex/telemetry-core supports apiVersion ${supported.join(", ")}. Upgrade the plugin or core so they match.`,
    );
    this.packageName = packageName;
    this.pluginApiVersion = pluginApiVersion;
    this.supportedApiVersions = supported;
  }
}

/** A module was found but is not a plugin: it does not default-export a `defineExporter(...)` result. */
export class PluginInvalidError extends TelemetryError {
  readonly packageName: string;
  constructor(packageName: string, problem: string) {
    super(`Telemetry plugin "${packageName}" is not a valid exporter plugin: ${problem}`);
    this.packageName = packageName;
  }
}

export class GatewayDoNotTrackConflictError extends TelemetryError {
  constructor() {
    super(
      "The Pipelex Gateway requires telemetry, and DO_NOT_TRACK is set. Do Not Track is respected: no telemetry is sent, " +
        "so the gateway cannot be used. To proceed, either unset DO_NOT_TRACK, or stop using the gateway and use your own provider keys.",
    );
  }
}

export class GatewayApiKeyMissingError extends TelemetryConfigError {
  constructor() {
    super("the gateway telemetry stream needs the gateway API key", {
      keyPath: "apiKey",
      expected: "the `apiKey` option or the PIPELEX_GATEWAY_API_KEY variable",
    });
  }
}

export class GatewayTelemetryUnavailableError extends TelemetryError {}

/** Langfuse is enabled without a usable public/secret key pair. Names the missing key, never its value. */
export class LangfuseCredentialsError extends TelemetryConfigError {}

/** An endpoint that is not https (outside loopback), is not a URL, or embeds credentials. */
export class InvalidEndpointError extends TelemetryConfigError {}

/** Thrown by a runExporterConformance check that failed. */
export class ExporterConformanceError extends TelemetryError {
  readonly failures: readonly { check: string; problem: string }[];
  constructor(pluginName: string, failures: readonly { check: string; problem: string }[]) {
    super(
      `Exporter plugin "${pluginName}" failed ${failures.length} conformance check(s):\n` +
        failures.map((f) => `  - ${f.check}: ${f.problem}`).join("\n"),
    );
    this.failures = failures;
  }
}
