import type { ConfigProblem } from "../errors.js";
import { joinKeyPath, toCamelCase, toSnakeCase, unresolvedPlaceholder } from "./parse-options.js";
import { isPlainTable } from "./substitute.js";

const SNAKE_KEY = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;
const WHOLE_PLACEHOLDER = /^\$\{(?:env:)?[A-Za-z_][A-Za-z0-9_]*\}$/;

/** Finds the file a key path came from (the layer that last set it). */
export type FileOf = (keyPath: string) => string | undefined;

/** camelCase key -> the key as written, with the same for the table below it. */
interface KeyNode {
  readonly written: string;
  readonly children?: Map<string, KeyNode>;
}

/** A file section's options in the one shape plugins take, and the way back to the file's keys. */
export interface ConvertedOptions {
  /** camelCase keys, except inside free-form maps; keys set to an unset `${VAR}` are left out. */
  readonly options: Record<string, unknown>;
  /** Keys that are not snake_case (`apiKey` in a file), with where they are. */
  readonly problems: readonly ConfigProblem[];
  /** Keys (as written, full path) whose whole value is a `${VAR}` that is not set -> VAR. */
  readonly unset: ReadonlyMap<string, string>;
  /** A plugin's key path (camelCase, under `base`) -> the same key as written in the file. */
  toWritten(keyPath: string): string;
}

/**
 * Converts a section's snake_case keys to camelCase, recursively, except inside the plugin's
 * free-form maps (`headers`), whose keys are data. A key that is not snake_case is a problem:
 * `apiKey` in a file would otherwise be accepted next to `api_key`. A value that is exactly an
 * unset `${VAR}` is passed as absent, so the plugin's default or environment fallback applies
 * (the shipped template writes `endpoint = "${POSTHOG_ENDPOINT}"`); if the plugin then needs it,
 * its error is told which variable to set.
 */
export function convertOptions(
  written: Record<string, unknown>,
  base: string,
  fileOf: FileOf,
  freeForm: readonly string[] = [],
): ConvertedOptions {
  const problems: ConfigProblem[] = [];
  const unset = new Map<string, string>();
  const freeFormPaths = new Set(freeForm);

  const convert = (
    table: Record<string, unknown>,
    writtenPath: string,
    camelPath: string,
  ): { value: Record<string, unknown>; nodes: Map<string, KeyNode> } => {
    const value: Record<string, unknown> = {};
    const nodes = new Map<string, KeyNode>();
    for (const [key, item] of Object.entries(table)) {
      const childWritten = joinKeyPath(writtenPath, key);
      if (!SNAKE_KEY.test(key)) {
        problems.push({
          file: fileOf(childWritten),
          keyPath: childWritten,
          message: "unknown key",
          expected: `snake_case keys as documented (e.g. ${toSnakeCase(key)})`,
        });
        continue;
      }
      const camel = toCamelCase(key);
      const childCamel = camelPath === "" ? camel : `${camelPath}.${camel}`;
      if (typeof item === "string" && WHOLE_PLACEHOLDER.test(item)) {
        unset.set(childWritten, unresolvedPlaceholder(item)!);
        nodes.set(camel, { written: key });
        continue;
      }
      if (isPlainTable(item) && !freeFormPaths.has(childCamel)) {
        const child = convert(item, childWritten, childCamel);
        value[camel] = child.value;
        nodes.set(camel, { written: key, children: child.nodes });
      } else {
        value[camel] = item;
        nodes.set(camel, { written: key });
      }
    }
    return { value, nodes };
  };

  const root = convert(written, base, "");
  return {
    options: root.value,
    problems,
    unset,
    toWritten: (keyPath) => toWrittenPath(keyPath, base, root.nodes),
  };
}

/**
 * Walks a plugin's key path through the recorded keys. A key the file does not have (a required
 * one that is missing) is spelled snake_case; below a free-form map keys stay as they are.
 */
function toWrittenPath(keyPath: string, base: string, nodes: Map<string, KeyNode>): string {
  if (keyPath !== base && !keyPath.startsWith(`${base}.`) && !keyPath.startsWith(`${base}[`)) return keyPath;
  let result = base;
  let level: Map<string, KeyNode> | undefined = nodes;
  let freeForm = false;
  for (const segment of splitKeyPath(keyPath.slice(base.length))) {
    if (typeof segment === "number") {
      result = joinKeyPath(result, segment);
      continue;
    }
    const node: KeyNode | undefined = freeForm ? undefined : level?.get(segment);
    const written = freeForm ? segment : (node?.written ?? toSnakeCase(segment));
    result = joinKeyPath(result, written);
    // A known key without children holds a value or a free-form map: keep the rest as it is.
    freeForm = freeForm || (node !== undefined && node.children === undefined);
    level = node?.children;
  }
  return result;
}

function splitKeyPath(rest: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const match of rest.matchAll(/\[(\d+)\]|\.?([^.[]+)/g)) {
    if (match[1] !== undefined) segments.push(Number(match[1]));
    else if (match[2] !== undefined) segments.push(match[2]);
  }
  return segments;
}
