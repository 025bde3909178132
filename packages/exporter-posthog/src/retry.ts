import { MAX_RETRY_DELAY_MS } from "./options.js";

/** What a failed flush tells about retrying; posthog-node's error classes are duck-typed. */
export interface FailureInfo {
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  /** Class and status only: never a body, a URL with a key, or a payload. */
  readonly summary: string;
}

export function describeFailure(error: unknown): FailureInfo {
  if (error === undefined) {
    // The flush succeeded yet events were missing: posthog-node dropped them from its queue.
    return {
      retryable: true,
      retryAfterMs: undefined,
      summary: "events left posthog-node's queue undelivered",
    };
  }
  const name = error instanceof Error ? error.name : typeof error;
  const status = (error as { status?: unknown }).status;
  if (typeof status === "number") {
    const retryAfter = (error as { retryAfterMs?: unknown }).retryAfterMs;
    return {
      // posthog-node's own rule: request timeout, rate limit and server errors are transient.
      retryable: status === 408 || status === 429 || status >= 500,
      retryAfterMs: typeof retryAfter === "number" && Number.isFinite(retryAfter) ? retryAfter : undefined,
      summary: `HTTP ${status}`,
    };
  }
  if (name === "PostHogFetchNetworkError")
    return { retryable: true, retryAfterMs: undefined, summary: "network error" };
  return { retryable: false, retryAfterMs: undefined, summary: name };
}

/**
 * Exponential backoff from `baseMs` (x2 per attempt, capped), with +-20% jitter so many
 * processes do not retry in step; a server's `Retry-After` wins when it asks for longer.
 */
export function backoffMs(
  attempt: number,
  baseMs: number,
  retryAfterMs: number | undefined,
  random = Math.random,
): number {
  const exponential = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** attempt);
  const jittered = exponential * (0.8 + 0.4 * random());
  return Math.round(Math.min(MAX_RETRY_DELAY_MS, Math.max(jittered, retryAfterMs ?? 0)));
}
