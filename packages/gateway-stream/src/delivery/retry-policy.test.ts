import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  backoffDelayMs,
  GATEWAY_RETRY_POLICY,
  isRetryableStatus,
  parseRetryAfterMs,
} from "./retry-policy.js";

describe("retry policy", () => {
  it("retries 429/502/503/504 only", () => {
    for (let status = 100; status < 600; status++) {
      expect(isRetryableStatus(status)).toBe([429, 502, 503, 504].includes(status));
    }
  });

  it("backs off exponentially, capped, within ±jitter", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, r) => {
          const p = GATEWAY_RETRY_POLICY;
          const base = Math.min(p.maxBackoffMs, p.initialBackoffMs * p.backoffMultiplier ** (attempt - 1));
          const wait = backoffDelayMs(p, attempt, () => r);
          expect(wait).toBeGreaterThanOrEqual(Math.floor(base * (1 - p.jitter)));
          expect(wait).toBeLessThanOrEqual(Math.ceil(base * (1 + p.jitter)));
        },
      ),
    );
    expect(backoffDelayMs(GATEWAY_RETRY_POLICY, 1, () => 0.5)).toBe(1000);
    expect(backoffDelayMs(GATEWAY_RETRY_POLICY, 2, () => 0.5)).toBe(1500);
    expect(backoffDelayMs(GATEWAY_RETRY_POLICY, 10, () => 0.5)).toBe(5000);
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    const now = Date.parse("2026-02-01T10:00:00Z");
    expect(parseRetryAfterMs("2", now)).toBe(2000);
    expect(parseRetryAfterMs("0.5", now)).toBe(500);
    expect(parseRetryAfterMs("Sun, 01 Feb 2026 10:00:03 GMT", now)).toBe(3000);
    expect(parseRetryAfterMs("Sun, 01 Feb 2026 09:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfterMs("soon", now)).toBeUndefined();
    expect(parseRetryAfterMs(null, now)).toBeUndefined();
    expect(parseRetryAfterMs("", now)).toBeUndefined();
  });
});
