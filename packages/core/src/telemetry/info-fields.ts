/**
 * Reading `pipeRun` / `inference` info at the door. JavaScript callers pass what they like
 * (numbers, `String` objects, objects with `toString`, throwing getters, proxies), and a value
 * that reached a span name through a template string would leave with it. So each field is read
 * exactly once, kept only when it is a primitive string of sane length (or a finite number for
 * numeric params), and otherwise becomes absent or a fixed placeholder. Never `String(value)`.
 *
 * The well-formed path allocates nothing: strings and numbers are returned as they are.
 */

/** What a required text field becomes when it is missing or malformed. */
export const UNKNOWN_FIELD = "unknown";

/** Identifiers longer than this are not identifiers: treated as malformed (a prompt pasted into a field). */
export const MAX_FIELD_LENGTH = 1024;

/** Told the field's name and the kind of value it held (never the value itself). */
export type MalformedFieldReporter = (field: string, found: string) => void;

/** The kind of a malformed value, for the warning; reads nothing but `typeof`. */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** Returned by `readOnce` when reading threw (already reported). */
const THREW: unique symbol = Symbol("threw");

/** Reads `source[key]` once; a throwing getter or proxy trap is reported and gives `THREW`. */
function readOnce(source: object, key: string, field: string, report: MalformedFieldReporter): unknown {
  try {
    return (source as Record<string, unknown>)[key];
  } catch {
    report(field, "a getter that throws");
    return THREW;
  }
}

/** `source[key]`, or undefined when reading it throws (reported, naming the field). */
export function readField(
  source: object,
  key: string,
  field: string,
  report: MalformedFieldReporter,
): unknown {
  const value = readOnce(source, key, field, report);
  return value === THREW ? undefined : value;
}

/** Why a value is not a usable text field, or undefined when it is one. */
function textProblem(value: unknown): string | undefined {
  if (typeof value !== "string") return value === undefined ? "nothing" : kindOf(value);
  return value.length <= MAX_FIELD_LENGTH ? undefined : `a string over ${MAX_FIELD_LENGTH} characters`;
}

/** A string field: the string, or undefined when absent (null/undefined, silently) or malformed (reported). */
export function optionalText(
  source: object | undefined,
  key: string,
  field: string,
  report: MalformedFieldReporter,
): string | undefined {
  if (source === undefined) return undefined;
  const value = readOnce(source, key, field, report);
  if (value === undefined || value === null || value === THREW) return undefined;
  const problem = textProblem(value);
  if (problem === undefined) return value as string;
  report(field, problem);
  return undefined;
}

/** A string field the span needs: the string, else `"unknown"` (missing counts as malformed here). */
export function requiredText(
  source: object | undefined,
  key: string,
  field: string,
  report: MalformedFieldReporter,
): string {
  if (source === undefined) return UNKNOWN_FIELD; // the info object itself was reported
  const value = readOnce(source, key, field, report);
  if (value === THREW) return UNKNOWN_FIELD;
  const problem = textProblem(value);
  if (problem === undefined) return value as string;
  report(field, problem);
  return UNKNOWN_FIELD;
}

/** A numeric param: finite numbers only; anything else (a numeric string, NaN, a boxed number) is dropped. */
export function optionalNumber(
  source: object | undefined,
  key: string,
  field: string,
  report: MalformedFieldReporter,
): number | undefined {
  if (source === undefined) return undefined;
  const value = readOnce(source, key, field, report);
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (value !== undefined && value !== null && value !== THREW)
    report(field, typeof value === "number" ? "a non-finite number" : kindOf(value));
  return undefined;
}

/**
 * The info or params object: an object (or function) as it is, else undefined. A missing info
 * object is reported; missing params are fine.
 */
export function objectField(
  value: unknown,
  field: string,
  required: boolean,
  report: MalformedFieldReporter,
): object | undefined {
  if ((typeof value === "object" && value !== null) || typeof value === "function") return value;
  if (required || (value !== undefined && value !== null)) report(field, textProblem(value) ?? kindOf(value));
  return undefined;
}
