/**
 * Type checks for every value the gateway sends. Each returns the value only when it has the
 * expected shape; strings that do not look like an identifier become "invalid", numbers that are
 * not finite or out of range are left out. This is what stops a prompt, a nested object or a NaN
 * from riding along in a metadata field.
 */

/** Model names, providers, pipe types, error types and codes: no spaces, no quotes, short. */
export const IDENTIFIER_PATTERN = /^[A-Za-z0-9._:/@+-]{1,128}$/;
export const INVALID = "invalid";

export function identifier(value: unknown, pattern: RegExp = IDENTIFIER_PATTERN): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" && pattern.test(value) ? value : INVALID;
}

/**
 * Model, response-model and provider names keep the identifier shape (`gpt-4o`,
 * `accounts/fireworks/models/llama-v3p1-70b`, `claude-3-5-sonnet@20240620`) but refuse what only
 * looks like one: an email address, a filesystem path (absolute, home-relative, `./`, `..`, a
 * drive letter, a document file name) or a URL.
 */
// Not anchored at the end: `jane@example.com:1`, `/x`, `+x` or `.1` after the domain is still an email.
const EMAIL_SHAPE = /[^@]@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z])/;
const PATH_SHAPE =
  /^(?:\/|~|\.{1,2}(?:\/|$)|[A-Za-z]:\/)|(?:^|\/)\.{1,2}(?:\/|$)|\/\/|\.(?:pdf|docx?|xlsx?|pptx?|csv|txt|md|json|ya?ml|png|jpe?g|gif|webp|html?|py|[jt]sx?)$/i;
const URL_SHAPE =
  /^[A-Za-z][A-Za-z0-9+.-]*:(?:\/|[^/]*@)|^www\.|^[A-Za-z0-9.-]+:\d+\/|^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|net|org|io|ai|dev|app|co|cloud|fr|de|uk|eu|us)(?:\/|:|$)/i;

export function modelName(value: unknown): string | undefined {
  const checked = identifier(value);
  if (checked === undefined || checked === INVALID) return checked;
  return EMAIL_SHAPE.test(checked) || PATH_SHAPE.test(checked) || URL_SHAPE.test(checked) ? INVALID : checked;
}

/**
 * Error types and codes are set by providers and apps, so they are held to a stricter shape
 * than model names: code-like words only (`context_length_exceeded`, `ECONNRESET`,
 * `RateLimitError`); no `@` (emails), no `/` (paths, URLs), at most 64 characters.
 */
export const ERROR_CODE_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

export function errorCode(value: unknown): string | undefined {
  return identifier(value, ERROR_CODE_PATTERN);
}

/** OpenTelemetry ids are lower-case hex of a fixed width; anything else is left out. */
export function hexId(value: unknown, hexLength: 16 | 32): string | undefined {
  return typeof value === "string" && value.length === hexLength && /^[0-9a-f]+$/.test(value)
    ? value
    : undefined;
}

function finite(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/** Token counts, max_tokens: whole numbers from 0 up to 2^53 - 1. */
export function count(value: unknown): number | undefined {
  return finite(value) && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** Image width and height: whole numbers of at least 1. */
export function dimension(value: unknown): number | undefined {
  return finite(value) && Number.isSafeInteger(value) && value >= 1 ? value : undefined;
}

/** Seeds may be negative. */
export function seed(value: unknown): number | undefined {
  return finite(value) && Number.isSafeInteger(value) ? value : undefined;
}

/** Providers use 0–2; 0–100 leaves room for any provider while refusing absurd values. */
export const MAX_TEMPERATURE = 100;
export function temperature(value: unknown): number | undefined {
  return finite(value) && value >= 0 && value <= MAX_TEMPERATURE ? value : undefined;
}

export function httpStatus(value: unknown): number | undefined {
  return finite(value) && Number.isInteger(value) && value >= 100 && value <= 599 ? value : undefined;
}

/** Seconds, millisecond precision. */
export function latencySeconds(durationMs: unknown): number | undefined {
  return finite(durationMs) && durationMs >= 0 ? Math.round(durationMs) / 1000 : undefined;
}

export function outcome(value: unknown): "success" | "failure" | undefined {
  return value === "success" || value === "failure" ? value : undefined;
}

/** ISO 8601 time of an epoch-ms instant; left out when it is not a real date. */
export function isoTime(epochMs: unknown): string | undefined {
  if (!finite(epochMs)) return undefined;
  // A Date keeps whole milliseconds (truncated); spans of a burst often start in the same one, and
  // formatting is a Date and ~1 µs each, so the last one formatted is reused.
  const ms = Math.trunc(epochMs);
  if (ms === lastIsoMs) return lastIso;
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return undefined;
  lastIsoMs = ms;
  lastIso = date.toISOString();
  return lastIso;
}
let lastIsoMs = Number.NaN;
let lastIso = "";
