import { codeShaped } from "@pipelex/telemetry-core";

/** JSON-like values an event property may hold. */
export type PropertyValue =
  | string
  | number
  | boolean
  | null
  | PropertyValue[]
  | { [key: string]: PropertyValue };
export type Properties = { [key: string]: PropertyValue };

/**
 * Returns a copy without any key named in `keys`, at any depth (inside `$ai_model_parameters`,
 * inside the messages of `$ai_input`, ...). Never edits its input.
 */
export function withoutKeysDeep(properties: Properties, keys: ReadonlySet<string>): Properties {
  if (keys.size === 0) return properties;
  return stripObject(properties, keys);
}

/** `value` without any key named in `keys`, at any depth (a copy wherever it holds objects). */
export function withoutKeysIn(value: PropertyValue, keys: ReadonlySet<string>): PropertyValue {
  return keys.size === 0 ? value : strip(value, keys);
}

function stripObject(value: Properties, keys: ReadonlySet<string>): Properties {
  const result: Properties = {};
  for (const [key, child] of Object.entries(value)) {
    if (keys.has(key)) continue;
    result[key] = strip(child, keys);
  }
  return result;
}

function strip(value: PropertyValue, keys: ReadonlySet<string>): PropertyValue {
  if (Array.isArray(value)) return value.map((item) => strip(item, keys));
  if (value !== null && typeof value === "object") return stripObject(value, keys);
  return value;
}

/**
 * Content attributes hold JSON (`[{ role, content }]`, PostHog's own message shape). Parsed,
 * they show as messages in PostHog and `redactProperties` can reach keys inside them (an image
 * part's `url`). When truncation cut the JSON, the truncated text is sent as it is.
 */
export function contentValue(serialized: string): PropertyValue {
  try {
    const parsed: unknown = JSON.parse(serialized);
    return isPropertyValue(parsed) ? parsed : serialized;
  } catch {
    return serialized;
  }
}

function isPropertyValue(value: unknown): value is PropertyValue {
  // JSON.parse only produces JSON values; anything it returns qualifies.
  return value === null || ["string", "number", "boolean", "object"].includes(typeof value);
}

/**
 * Error types and codes, and the ids this exporter sends, only when shaped like a code
 * (`context_length_exceeded`, `ECONNRESET`, `RateLimitError`, `job-42`): a provider's `code` and
 * an app's ids are free text they control, so no `@` (emails), no `/` (paths, URLs), no spaces,
 * short. The shape is core's (`CODE_SHAPED_ID`), shared with the redaction policy.
 */
export function safeIdentifier(value: string | undefined): string | undefined {
  return codeShaped(value);
}
