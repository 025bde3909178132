import { TelemetryConfigError } from "../errors.js";
import { toCamelCase } from "./parse-options.js";
import { isPlainTable } from "./substitute.js";

const SNAKE_KEY = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

/** Finds the file a key path came from (the layer that last set it). */
export type FileOf = (keyPath: string) => string | undefined;

/**
 * Converts a section's snake_case keys to the camelCase option names the schemas use,
 * recursively, except inside free-form maps (`headers`, `options`) whose keys are data. A key
 * that is not snake_case is reported as unknown: `apiKey` in a file would otherwise be
 * silently accepted next to `api_key`.
 */
export function camelizeSection(
  table: Record<string, unknown>,
  keyPath: string,
  fileOf: FileOf,
  freeForm: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(table)) {
    const childPath = `${keyPath}.${key}`;
    if (!SNAKE_KEY.test(key)) {
      throw new TelemetryConfigError(`unknown key "${key}"`, {
        file: fileOf(childPath),
        keyPath,
        expected: "snake_case keys as documented (e.g. api_key, not apiKey)",
      });
    }
    result[toCamelCase(key)] =
      isPlainTable(value) && !freeForm.has(key) ? camelizeSection(value, childPath, fileOf) : value;
  }
  return result;
}
