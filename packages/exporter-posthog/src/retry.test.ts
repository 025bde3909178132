import { DeliveryError } from "@pipelex/telemetry-core/plugin";
import { describe, expect, it } from "vitest";
import { MAX_RETRY_DELAY_MS } from "./options.js";
import { isRetryable, POSTHOG_RETRYABLE_STATUSES, posthogRetryPolicy } from "./retry.js";

describe("what the PostHog exporter retries", () => {
  it("408, 429 and 5xx gateway errors; not 400, 401, 413", () => {
    expect(POSTHOG_RETRYABLE_STATUSES).toEqual([408, 429, 500, 502, 503, 504]);
    for (const status of [408, 429, 500, 503]) expect(isRetryable({ status, error: new Error() })).toBe(true);
    for (const status of [400, 401, 403, 413])
      expect(isRetryable({ status, error: new Error() })).toBe(false);
  });

  it("every failure to get an answer, but not TLS errors or aborts", () => {
    for (const kind of [
      "connection refused",
      "connection reset",
      "timeout",
      "invalid response",
      "DNS failure",
    ] as const)
      expect(isRetryable({ error: new DeliveryError(kind, "h:1") })).toBe(true);
    expect(isRetryable({ error: new DeliveryError("TLS error", "h:1") })).toBe(false);
    expect(isRetryable({ error: new DeliveryError("aborted", "h:1") })).toBe(false);
    // Events missing with no failure: posthog-node dropped them from its queue; worth a retry.
    expect(isRetryable(undefined)).toBe(true);
  });

  it("fetchRetryCount / fetchRetryDelay shape the policy", () => {
    expect(posthogRetryPolicy(3, 3000)).toMatchObject({
      maxRetries: 3,
      initialBackoffMs: 3000,
      backoffMultiplier: 2,
      maxBackoffMs: MAX_RETRY_DELAY_MS,
      jitter: 0.2,
    });
  });
});
