import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "@pipelex/telemetry-core/plugin";

/**
 * The gateway ingest's retries, through the delivery toolkit: 1 attempt + 4 retries, 1 s x1.5
 * capped at 5 s, ±20 % jitter, `Retry-After` first. Retryable statuses: 429, 502, 503, 504
 * (rate limiting and transient gateway errors); every failure to get an answer (refused, reset,
 * timeout, half a body, garbage) is retried too; every other status is final.
 */
export const GATEWAY_RETRY_POLICY: RetryPolicy = {
  ...DEFAULT_RETRY_POLICY,
  maxRetries: 4,
  retryableStatuses: [429, 502, 503, 504],
};

/** Bound for one HTTP request to the ingest. */
export const GATEWAY_REQUEST_TIMEOUT_MS = 10_000;
/** Bound for all attempts and waits of one batch, so it ends before core's export timeout (30 s). */
export const GATEWAY_RETRY_BUDGET_MS = 25_000;
