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
  /** Dotted key path as written in the file, such as `custom_posthog.tracing.enabled`. */
  readonly keyPath?: string | undefined;
  /** What was expected there, in plain words. */
  readonly expected?: string | undefined;
  /** 1-based line/column where known (TOML syntax errors, keys located in the file). */
  readonly line?: number | undefined;
  readonly column?: number | undefined;
}

/** One mistake in the configuration. A TelemetryConfigError carries one or more of these. */
export interface ConfigProblem extends ConfigErrorLocation {
  /** What is wrong, in plain words; never a secret value. */
  readonly message: string;
}

/**
 * Bad configuration, from a file or from app code. `problems` lists every mistake found (one
 * when thrown for a single problem); the top-level `file`/`keyPath`/... are the first one's, so
 * code written for single-problem errors keeps working.
 */
export class TelemetryConfigError extends TelemetryError {
  readonly problems: readonly ConfigProblem[];
  readonly file: string | undefined;
  readonly keyPath: string | undefined;
  readonly expected: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(
    problem: string | readonly ConfigProblem[],
    location: ConfigErrorLocation = {},
    options?: { cause?: unknown },
  ) {
    const problems = typeof problem === "string" ? [{ ...location, message: problem }] : dedupe(problem);
    if (problems.length === 0) throw new RangeError("TelemetryConfigError needs at least one problem");
    super(problems.length === 1 ? formatProblem(problems[0]!) : formatProblems(problems), options);
    const first = problems[0]!;
    this.problems = Object.freeze(problems.map((p) => Object.freeze({ ...p })));
    this.file = first.file;
    this.keyPath = first.keyPath;
    this.expected = first.expected;
    this.line = first.line;
    this.column = first.column;
  }

  /** One error listing every problem given (duplicates dropped), e.g. every mistake of every file. */
  static fromProblems<T extends TelemetryConfigError>(
    this: new (
      problems: readonly ConfigProblem[],
    ) => T,
    problems: readonly ConfigProblem[],
  ): T {
    // `new this`, not the class by name: a self-reference makes bundlers rename the class
    // (`_TelemetryConfigError`), and the error's `name` comes from the class.
    return new this(problems);
  }
}

function dedupe(problems: readonly ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = JSON.stringify([p.file, p.line, p.column, p.keyPath, p.expected, p.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function formatProblem(problem: ConfigProblem): string {
  return describeProblem(problem, problem.file ?? "options");
}

/** `file, line 3, column 5, key "a.b": message (expected x)`; the file part is left out when grouped. */
function describeProblem(p: ConfigProblem, file?: string): string {
  const where = [
    file,
    p.line !== undefined
      ? `line ${p.line}${p.column !== undefined ? `, column ${p.column}` : ""}`
      : undefined,
    p.keyPath ? `key "${p.keyPath}"` : undefined,
  ]
    .filter(Boolean)
    .join(", ");
  // Validators often say "expected X" themselves; saying it twice reads as a stutter.
  const expected =
    p.expected && !p.message.toLowerCase().includes(`expected ${p.expected.toLowerCase()}`)
      ? ` (expected ${p.expected})`
      : "";
  return `${where ? `${where}: ` : ""}${p.message}${expected}`;
}

function formatProblems(problems: readonly ConfigProblem[]): string {
  // Problems without a file come from code options, or (next to file problems) from plugins.
  const fileless = problems.some((p) => p.file !== undefined) ? "other problems" : "options";
  const byFile = new Map<string, ConfigProblem[]>();
  for (const p of problems) {
    const file = p.file ?? fileless;
    byFile.set(file, [...(byFile.get(file) ?? []), p]);
  }
  const lines = [`The telemetry configuration has ${problems.length} problems:`];
  for (const [file, list] of byFile) {
    lines.push(`  ${file}`);
    for (const p of list) lines.push(`    - ${describeProblem(p)}`);
  }
  return lines.join("\n");
}

export class PluginNotFoundError extends TelemetryError {
  readonly packageName: string;
  readonly installCommand: string;
  /** `installCommand` names the app's package manager (see plugin/package-manager.ts); default npm's. */
  constructor(packageName: string, fromDir: string, options?: { cause?: unknown; installCommand?: string }) {
    const installCommand = options?.installCommand ?? `npm install ${packageName}`;
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
    const newest = Math.max(...supported);
    const older = typeof pluginApiVersion === "number" && pluginApiVersion < newest;
    const change = older
      ? `The plugin was written for plugin API ${pluginApiVersion}: update it to API ${newest} (set apiVersion: ${newest}; parseOptions(raw, { keyPath, file, env }) receives camelCase keys; declare secrets(), defaultRedaction() and describe()), or install a version of the plugin built for API ${newest}.`
      : `Upgrade @pipelex/telemetry-core to a version that implements plugin API ${JSON.stringify(pluginApiVersion)}, or install a version of the plugin built for API ${newest}.`;
    super(
      `Telemetry plugin "${packageName}" declares apiVersion ${JSON.stringify(pluginApiVersion)}, but this @pipelex/telemetry-core implements plugin API ${supported.join(", ")}. ${change}`,
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
