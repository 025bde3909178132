import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_RETRY_DELAY_MS, maxBackoffMs } from "./options.js";
import { backoffMs, describeFailure } from "./retry.js";

describe("describeFailure", () => {
  it("retries 408, 429, 5xx and network errors; not other 4xx", () => {
    const http = (status: number, retryAfterMs?: number) =>
      Object.assign(new Error("x"), { name: "PostHogFetchHttpError", status, retryAfterMs });
    expect(describeFailure(http(500)).retryable).toBe(true);
    expect(describeFailure(http(503)).retryable).toBe(true);
    expect(describeFailure(http(429, 2000))).toEqual({
      retryable: true,
      retryAfterMs: 2000,
      summary: "HTTP 429",
    });
    expect(describeFailure(http(408)).retryable).toBe(true);
    expect(describeFailure(http(400)).retryable).toBe(false);
    expect(describeFailure(http(401)).retryable).toBe(false);
    expect(describeFailure(http(413)).retryable).toBe(false);
    expect(
      describeFailure(Object.assign(new Error("n"), { name: "PostHogFetchNetworkError" })).retryable,
    ).toBe(true);
    expect(describeFailure(new TypeError("boom")).retryable).toBe(false);
    expect(describeFailure(undefined).retryable).toBe(true);
  });
});

describe("backoffMs", () => {
  it("doubles per attempt within +-20% jitter, capped, and never below Retry-After", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (attempt, base, r) => {
          const wait = backoffMs(attempt, base, undefined, () => r);
          const nominal = Math.min(MAX_RETRY_DELAY_MS, base * 2 ** attempt);
          expect(wait).toBeGreaterThanOrEqual(Math.floor(nominal * 0.8));
          expect(wait).toBeLessThanOrEqual(
            Math.min(MAX_RETRY_DELAY_MS, Math.ceil(maxBackoffMs(attempt, base))),
          );
        },
      ),
    );
    expect(backoffMs(0, 100, 5000, () => 0.5)).toBe(5000);
    expect(backoffMs(0, 100, 10 * 60_000, () => 0.5)).toBe(MAX_RETRY_DELAY_MS);
  });
});
