/** How the sender retries. The gateway uses `GATEWAY_RETRY_POLICY`; tests of the sender pass small values. */
export interface RetryPolicy {
  /** Attempts in total, the first one included. */
  readonly maxAttempts: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly backoffMultiplier: number;
  /** ±fraction applied to each backoff (0.2 = ±20 %), so many clients do not retry in step. */
  readonly jitter: number;
  /** Bound for one HTTP request. */
  readonly requestTimeoutMs: number;
  /** Bound for all attempts and waits of one send, so it ends before core's export timeout (30 s). */
  readonly totalBudgetMs: number;
}

/** Same shape as OpenTelemetry's OTLP exporters: 5 attempts, 1 s, x1.5, cap 5 s, ±20 % jitter. */
export const GATEWAY_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  initialBackoffMs: 1000,
  maxBackoffMs: 5000,
  backoffMultiplier: 1.5,
  jitter: 0.2,
  requestTimeoutMs: 10_000,
  totalBudgetMs: 25_000,
};

/** Rate limiting and transient gateway errors; every other 4xx/5xx is final. */
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status);
}

/** Backoff before attempt `attempt + 1` (attempt is 1-based): exponential, capped, jittered. */
export function backoffDelayMs(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const base = Math.min(
    policy.maxBackoffMs,
    policy.initialBackoffMs * policy.backoffMultiplier ** (attempt - 1),
  );
  const spread = base * policy.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(base + spread));
}

/**
 * `Retry-After` as milliseconds from `now`: delta-seconds or an HTTP date. Undefined when absent
 * or unparsable, so the normal backoff applies.
 */
export function parseRetryAfterMs(
  header: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (header === null || header === undefined) return undefined;
  const value = header.trim();
  if (value === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
