import { z } from "zod";
import { TelemetryConfigError } from "../errors.js";
import { camelizeSection, type FileOf } from "./keys.js";
import { parseOptionsWith, toSnakeCase } from "./parse-options.js";
import {
  type LangfuseOptions,
  langfuseOptionsSchema,
  type OtlpOptions,
  otlpOptionsSchema,
  type PosthogOptions,
  posthogOptionsSchema,
} from "./sections.js";
import { isPlainTable } from "./substitute.js";

/** One section of the file, validated. `raw` is what a plugin's `toDestination` is given. */
export interface ConfigSection<T> {
  /** Where it is in the file, e.g. `custom_posthog` or `otlp[1]`. */
  readonly keyPath: string;
  /** The layer that last set this section. */
  readonly file: string | undefined;
  /** As written (after `${VAR}` substitution), snake_case: for placeholder and secret checks. */
  readonly written: Record<string, unknown>;
  /** camelCase input (no defaults applied): what first-party factories accept. */
  readonly raw: Record<string, unknown>;
  readonly options: T;
}

export interface ExporterEntry {
  readonly keyPath: string;
  readonly file: string | undefined;
  readonly packageName: string;
  readonly enabled: boolean;
  /** Free-form, handed to the plugin as written. */
  readonly options: Record<string, unknown>;
  readonly written: Record<string, unknown>;
}

export interface ConfigDocument {
  readonly posthog?: ConfigSection<PosthogOptions>;
  readonly langfuse?: ConfigSection<LangfuseOptions>;
  readonly otlp: readonly ConfigSection<OtlpOptions>[];
  readonly exporters: readonly ExporterEntry[];
  readonly allowedModes: Readonly<Record<string, boolean>>;
}

const exporterEntrySchema = z.strictObject({
  package: z.string().min(1),
  enabled: z.boolean().default(true),
  options: z.record(z.string(), z.unknown()).default({}),
});

/** Accepted for compatibility with the Python file; no effect in this implementation. */
const portkeySchema = z.strictObject({
  forceDebugEnabled: z.boolean().optional(),
  forceTracingEnabled: z.boolean().optional(),
});

const allowedModesSchema = z.record(z.string(), z.boolean());

const TOP_LEVEL_KEYS = [
  "custom_posthog",
  "langfuse",
  "otlp",
  "exporters",
  "custom_portkey",
  "telemetry_allowed_modes",
] as const;

/**
 * Validates the merged document against the schema of DESIGN.md: every section with the same
 * zod schema app code uses, strictly. Errors name the file that set the offending key.
 */
export function parseConfigDocument(document: Record<string, unknown>, fileOf: FileOf): ConfigDocument {
  for (const key of Object.keys(document)) {
    if (!(TOP_LEVEL_KEYS as readonly string[]).includes(key)) {
      throw new TelemetryConfigError(`unknown section "${key}"`, {
        file: fileOf(key),
        keyPath: key,
        expected: `one of ${TOP_LEVEL_KEYS.join(", ")}`,
      });
    }
  }
  const posthog = optionalTable(document, "custom_posthog", fileOf);
  const langfuse = optionalTable(document, "langfuse", fileOf);
  const portkey = optionalTable(document, "custom_portkey", fileOf);
  if (portkey)
    validate(portkeySchema, camelizeSection(portkey, "custom_portkey", fileOf), "custom_portkey", fileOf);
  const modes = optionalTable(document, "telemetry_allowed_modes", fileOf);

  return {
    posthog: posthog && section(posthogOptionsSchema, posthog, "custom_posthog", fileOf),
    langfuse: langfuse && section(langfuseOptionsSchema, langfuse, "langfuse", fileOf),
    otlp: tableArray(document, "otlp", fileOf).map((entry, i) =>
      section(otlpOptionsSchema, entry, `otlp[${i}]`, fileOf, new Set(["headers"])),
    ),
    exporters: tableArray(document, "exporters", fileOf).map((entry, i) => exporterEntry(entry, i, fileOf)),
    allowedModes: modes ? validate(allowedModesSchema, modes, "telemetry_allowed_modes", fileOf) : {},
  };
}

function section<S extends z.ZodType>(
  schema: S,
  written: Record<string, unknown>,
  keyPath: string,
  fileOf: FileOf,
  freeForm?: ReadonlySet<string>,
): ConfigSection<z.output<S>> {
  const raw = camelizeSection(written, keyPath, fileOf, freeForm);
  return { keyPath, file: fileOf(keyPath), written, raw, options: validate(schema, raw, keyPath, fileOf) };
}

function exporterEntry(written: Record<string, unknown>, index: number, fileOf: FileOf): ExporterEntry {
  const keyPath = `exporters[${index}]`;
  const raw = camelizeSection(written, keyPath, fileOf, new Set(["options"]));
  const parsed = validate(exporterEntrySchema, raw, keyPath, fileOf);
  return {
    keyPath,
    file: fileOf(keyPath),
    packageName: parsed.package,
    enabled: parsed.enabled,
    options: parsed.options,
    written,
  };
}

/**
 * parseOptionsWith reports one file; with four layers the right one depends on the key, so the
 * first issue is located here and parseOptionsWith then formats the error with that file.
 */
function validate<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  keyPath: string,
  fileOf: FileOf,
): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map((p) => (typeof p === "string" ? toSnakeCase(p) : `[${String(p)}]`));
  if (issue.code === "unrecognized_keys" && issue.keys[0] !== undefined)
    path.push(toSnakeCase(issue.keys[0]));
  const issuePath = [keyPath, ...path].join(".").replace(/\.\[/g, "[");
  return parseOptionsWith(schema, raw, { file: fileOf(issuePath) ?? fileOf(keyPath), keyPath });
}

function optionalTable(
  document: Record<string, unknown>,
  key: string,
  fileOf: FileOf,
): Record<string, unknown> | undefined {
  const value = document[key];
  if (value === undefined) return undefined;
  if (!isPlainTable(value)) {
    throw new TelemetryConfigError("must be a table", {
      file: fileOf(key),
      keyPath: key,
      expected: `[${key}]`,
    });
  }
  return value;
}

function tableArray(
  document: Record<string, unknown>,
  key: string,
  fileOf: FileOf,
): Record<string, unknown>[] {
  const value = document[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new TelemetryConfigError("must be an array of tables", {
      file: fileOf(key),
      keyPath: key,
      expected: `[[${key}]] entries`,
    });
  }
  return value.map((entry, i) => {
    if (!isPlainTable(entry)) {
      throw new TelemetryConfigError("must be a table", {
        file: fileOf(key),
        keyPath: `${key}[${i}]`,
        expected: `a [[${key}]] entry`,
      });
    }
    return entry;
  });
}
