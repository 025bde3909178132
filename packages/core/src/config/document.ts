import type { ConfigProblem } from "../errors.js";
import type { FileOf } from "./keys.js";
import { joinKeyPath } from "./parse-options.js";
import { isPlainTable } from "./substitute.js";
import { describeUnknownName } from "./suggestions.js";

/**
 * What core knows about telemetry.toml: which package serves each section of the Python file,
 * and the on/off rule of those sections. Every option inside a section is its plugin's business
 * (schema, defaults, checks): core hands the section over, converted to camelCase.
 */
export const FIRST_PARTY_PACKAGES = {
  posthog: "@pipelex/telemetry-exporter-posthog",
  langfuse: "@pipelex/telemetry-exporter-langfuse",
  otlp: "@pipelex/telemetry-exporter-otlp",
} as const;

export type StreamKind = "posthog" | "langfuse" | "otlp" | "plugin";

/** One stream the file configures, before its plugin has seen it. */
export interface ConfiguredStream {
  readonly kind: StreamKind;
  readonly packageName: string;
  /** The section: `custom_posthog`, `langfuse`, `otlp[1]`, `exporters[0]`. */
  readonly keyPath: string;
  /** Where the plugin's options sit: the section itself, or `exporters[0].options`. */
  readonly optionsKeyPath: string;
  /** The layer that last set the section. */
  readonly file: string | undefined;
  /** The section's on/off rule, as core reads it (a plugin may still turn itself off). */
  readonly on: boolean;
  readonly reason: string;
  /** The plugin's options as written (after `${VAR}` substitution), snake_case. */
  readonly written: Record<string, unknown>;
}

export interface ConfigDocument {
  readonly streams: readonly ConfiguredStream[];
  readonly allowedModes: Readonly<Record<string, boolean>>;
  /**
   * `[meta] schema_version`: the file-format version the Python tooling stamps on the files it
   * writes (for its migrations). Read and shown by `status`; it changes nothing here.
   */
  readonly schemaVersion: number | string | undefined;
  /** True when a `[pipelex_gateway]` table is present (Python maintainers' override; no effect here). */
  readonly hasPipelexGateway: boolean;
  readonly problems: readonly ConfigProblem[];
}

const TOP_LEVEL_KEYS = [
  "custom_posthog",
  "langfuse",
  "otlp",
  "exporters",
  "custom_portkey",
  "telemetry_allowed_modes",
  "meta",
  "pipelex_gateway",
] as const;

/**
 * Reads the merged document: the top-level sections, the on/off key of each stream, the
 * `[[exporters]]` entry keys, and the sections that carry no exporter (`custom_portkey`,
 * `meta`, `pipelex_gateway`, `telemetry_allowed_modes`). Every problem is collected.
 */
export function parseConfigDocument(document: Record<string, unknown>, fileOf: FileOf): ConfigDocument {
  const problems: ConfigProblem[] = [];
  const problem = (keyPath: string, message: string, expected?: string) =>
    problems.push({ file: fileOf(keyPath), keyPath, message, expected });
  // The valid names there, and a "did you mean" for a near miss.
  const unknown = (keyPath: string, what: "section" | "key", valid: readonly string[]) => {
    const { message, expected } = describeUnknownName(
      what,
      keyPath.slice(keyPath.lastIndexOf(".") + 1),
      valid,
    );
    problem(keyPath, message, expected);
  };

  for (const key of Object.keys(document)) {
    if (!(TOP_LEVEL_KEYS as readonly string[]).includes(key)) {
      unknown(key, "section", TOP_LEVEL_KEYS);
    }
  }
  const table = (key: string) => {
    const value = document[key];
    if (value === undefined) return undefined;
    if (isPlainTable(value)) return value;
    problem(key, "must be a table", `[${key}]`);
    return undefined;
  };
  const tableArray = (key: string) => {
    const value = document[key];
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      problem(key, "must be an array of tables", `[[${key}]] entries`);
      return [];
    }
    return value.flatMap((entry, i) => {
      if (isPlainTable(entry)) return [{ entry, keyPath: `${key}[${i}]` }];
      problem(`${key}[${i}]`, "must be a table", `a [[${key}]] entry`);
      return [];
    });
  };
  const bool = (section: Record<string, unknown>, keyPath: string, key: string, fallback: boolean) => {
    const value = section[key];
    if (value === undefined) return fallback;
    if (typeof value === "boolean") return value;
    problem(joinKeyPath(keyPath, key), "must be true or false", "a boolean");
    return fallback;
  };

  const streams: ConfiguredStream[] = [];
  const stream = (
    kind: Exclude<StreamKind, "plugin">,
    keyPath: string,
    written: Record<string, unknown>,
    on: boolean,
    reason: string,
  ) =>
    streams.push({
      kind,
      packageName: FIRST_PARTY_PACKAGES[kind],
      keyPath,
      optionsKeyPath: keyPath,
      file: fileOf(keyPath),
      on,
      reason,
      written,
    });

  const posthog = table("custom_posthog");
  if (posthog) {
    const mode = posthog.mode ?? "off";
    if (typeof mode !== "string")
      problem("custom_posthog.mode", "must be a string", "a string; the plugin checks its value");
    const on = typeof mode === "string" && mode !== "off";
    stream("posthog", "custom_posthog", posthog, on, `custom_posthog.mode = ${JSON.stringify(mode)}`);
  }
  const langfuse = table("langfuse");
  if (langfuse) {
    const on = bool(langfuse, "langfuse", "enabled", false);
    stream("langfuse", "langfuse", langfuse, on, `langfuse.enabled = ${on}`);
  }
  for (const { entry, keyPath } of tableArray("otlp")) {
    stream("otlp", keyPath, entry, true, `${keyPath} is configured`);
  }
  for (const { entry, keyPath } of tableArray("exporters")) {
    const { package: packageName, enabled: _enabled, options = {}, ...others } = entry;
    for (const key of Object.keys(others)) {
      unknown(joinKeyPath(keyPath, key), "key", ["package", "enabled", "options"]);
    }
    const on = bool(entry, keyPath, "enabled", true);
    if (typeof packageName !== "string" || packageName === "") {
      problem(joinKeyPath(keyPath, "package"), "is required", "the plugin's npm package name");
      continue;
    }
    if (!isPlainTable(options)) {
      problem(joinKeyPath(keyPath, "options"), "must be a table", "options = { ... }");
      continue;
    }
    streams.push({
      kind: "plugin",
      packageName,
      keyPath,
      optionsKeyPath: `${keyPath}.options`,
      file: fileOf(keyPath),
      on,
      reason: `${keyPath}.enabled = ${on}`,
      written: options,
    });
  }

  // Accepted for compatibility with the Python file; no effect in this implementation.
  const portkey = table("custom_portkey");
  if (portkey) {
    for (const key of Object.keys(portkey)) {
      if (key === "force_debug_enabled" || key === "force_tracing_enabled")
        bool(portkey, "custom_portkey", key, false);
      else unknown(`custom_portkey.${key}`, "key", ["force_debug_enabled", "force_tracing_enabled"]);
    }
  }
  const gateway = table("pipelex_gateway");
  if (gateway) {
    for (const [key, value] of Object.entries(gateway)) {
      if (key !== "posthog" && key !== "portkey")
        unknown(`pipelex_gateway.${key}`, "key", ["posthog", "portkey"]);
      else if (!isPlainTable(value))
        problem(`pipelex_gateway.${key}`, "must be a table", `[pipelex_gateway.${key}]`);
    }
  }

  return {
    streams,
    allowedModes: allowedModes(table("telemetry_allowed_modes"), problem),
    schemaVersion: schemaVersion(table("meta"), problem),
    hasPipelexGateway: gateway !== undefined,
    problems,
  };
}

type Report = (keyPath: string, message: string, expected?: string) => void;

function allowedModes(
  section: Record<string, unknown> | undefined,
  problem: Report,
): Record<string, boolean> {
  const modes: Record<string, boolean> = {};
  for (const [mode, value] of Object.entries(section ?? {})) {
    if (typeof value === "boolean") modes[mode] = value;
    else problem(`telemetry_allowed_modes.${mode}`, "must be true or false", "a boolean");
  }
  return modes;
}

function schemaVersion(
  section: Record<string, unknown> | undefined,
  problem: Report,
): number | string | undefined {
  if (!section) return undefined;
  for (const key of Object.keys(section)) {
    if (key !== "schema_version") problem(`meta.${key}`, "unknown key", "schema_version");
  }
  const version = section.schema_version;
  if (version === undefined || typeof version === "number" || typeof version === "string") return version;
  problem("meta.schema_version", "must be a version number", "a number or a string");
  return undefined;
}
