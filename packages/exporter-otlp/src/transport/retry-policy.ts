/**
 * The retry policy of the official OTLP exporters, as `@opentelemetry/otlp-exporter-base`
 * 0.223.1 implements it in `retrying-transport.js` and `is-export-retryable.js`: one attempt,
 * then up to 5 retries on 429/502/503/504 and retryable network errors, 1 s initial backoff
 * x1.5 per retry capped at 5 s with +-20 % jitter, `Retry-After` (seconds or HTTP date) taking
 * precedence, and no retry that would start after the export's own timeout.
 */
export const RETRY_POLICY = {
  maxRetries: 5,
  initialBackoffMs: 1000,
  backoffMultiplier: 1.5,
  maxBackoffMs: 5000,
  jitter: 0.2,
} as const;

export const RETRYABLE_STATUS_CODES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS_CODES.has(status);
}

/** The backoff before retry number `retry` (0-based), given a random number in [0, 1). */
export function backoffMs(retry: number, random: number): number {
  const base = RETRY_POLICY.initialBackoffMs * RETRY_POLICY.backoffMultiplier ** retry;
  const jitter = random * (2 * RETRY_POLICY.jitter) - RETRY_POLICY.jitter;
  return Math.max(Math.min(base * (1 + jitter), RETRY_POLICY.maxBackoffMs), 0);
}

/**
 * `Retry-After` in milliseconds, as OpenTelemetry reads it: whole seconds, or an HTTP date;
 * undefined when absent or unreadable (the computed backoff applies then).
 */
export function parseRetryAfterMs(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number.parseInt(trimmed, 10) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
