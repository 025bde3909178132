import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backoffMs, isRetryableStatus, parseRetryAfterMs, RETRY_POLICY } from "./retry-policy.js";

describe("retry policy (OpenTelemetry's, from otlp-exporter-base 0.223.1)", () => {
  it("has the upstream constants", () => {
    expect(RETRY_POLICY).toEqual({
      maxRetries: 5,
      initialBackoffMs: 1000,
      backoffMultiplier: 1.5,
      maxBackoffMs: 5000,
      jitter: 0.2,
    });
  });

  it("retries 429/502/503/504 only", () => {
    expect([429, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([200, 400, 401, 403, 404, 413, 500, 501].some(isRetryableStatus)).toBe(false);
  });

  it("property: backoff is 1 s x1.5 per retry, +-20 %, capped at 5 s", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (retry, random) => {
          const base = 1000 * 1.5 ** retry;
          const value = backoffMs(retry, random);
          expect(value).toBeGreaterThanOrEqual(Math.min(base * 0.8, 5000) - 1e-9);
          expect(value).toBeLessThanOrEqual(Math.min(base * 1.2, 5000) + 1e-9);
          expect(value).toBeLessThanOrEqual(5000);
        },
      ),
    );
    expect(backoffMs(0, 0.5)).toBe(1000);
    expect(backoffMs(1, 0.5)).toBe(1500);
    expect(backoffMs(4, 0.5)).toBe(5000);
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    expect(parseRetryAfterMs("1")).toBe(1000);
    expect(parseRetryAfterMs(" 3 ")).toBe(3000);
    expect(parseRetryAfterMs("0")).toBe(0);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfterMs("Thu, 01 Jan 2026 00:00:02 GMT", now)).toBe(2000);
    expect(parseRetryAfterMs("Wed, 31 Dec 2025 23:59:00 GMT", now)).toBe(0);
    expect(parseRetryAfterMs(null)).toBeUndefined();
    expect(parseRetryAfterMs("soon")).toBeUndefined();
  });
});
