import type { RetryPolicy } from "@pipelex/telemetry-core/plugin";
import type { RequestFailure } from "./client.js";
import { MAX_RETRY_DELAY_MS } from "./options.js";

/**
 * posthog-node's own rule for what is transient (request timeout, rate limit, server errors),
 * as the statuses this exporter retries. Every failure to get an answer (refused, reset, DNS,
 * timeout, half a body, garbage) is retried as well; 400, 401, 413 (after posthog-node's own
 * halving) and other statuses are final.
 */
export const POSTHOG_RETRYABLE_STATUSES: readonly number[] = [408, 429, 500, 502, 503, 504];

/** `fetchRetryCount` retries, `fetchRetryDelay` x2 per retry, ±20 % jitter, capped; `Retry-After` first. */
export function posthogRetryPolicy(fetchRetryCount: number, fetchRetryDelay: number): RetryPolicy {
  return {
    maxRetries: fetchRetryCount,
    initialBackoffMs: fetchRetryDelay,
    backoffMultiplier: 2,
    maxBackoffMs: MAX_RETRY_DELAY_MS,
    jitter: 0.2,
    retryableStatuses: POSTHOG_RETRYABLE_STATUSES,
  };
}

/** Whether a request's failure is worth another attempt; no failure means posthog-node lost events. */
export function isRetryable(failure: RequestFailure | undefined): boolean {
  if (failure === undefined) return true;
  if (failure.status !== undefined) return POSTHOG_RETRYABLE_STATUSES.includes(failure.status);
  const kind = (failure.error as { kind?: unknown }).kind;
  return kind !== "aborted" && kind !== "TLS error" && kind !== "port blocked by fetch";
}
