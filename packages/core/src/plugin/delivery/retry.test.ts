import { refusedUrl, startFaultReceiver } from "@pipelex/test-receivers";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { RuntimeKillSwitch } from "../../kill-switch/kill-switch.js";
import { createHttpTransport } from "./http-transport.js";
import {
  backoffMs,
  DEFAULT_RETRY_POLICY,
  parseRetryAfterMs,
  type RetryPolicy,
  sendWithRetry,
} from "./retry.js";

const FAST: RetryPolicy = { ...DEFAULT_RETRY_POLICY, initialBackoffMs: 20, maxBackoffMs: 50 };
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe("backoff and Retry-After", () => {
  it("property: exponential, ±jitter, capped", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (retry, r) => {
          const base = 1000 * 1.5 ** retry;
          const value = backoffMs(DEFAULT_RETRY_POLICY, retry, r);
          expect(value).toBeGreaterThanOrEqual(Math.min(base * 0.8, 5000) - 1e-9);
          expect(value).toBeLessThanOrEqual(Math.min(base * 1.2, 5000) + 1e-9);
        },
      ),
    );
    expect(backoffMs(DEFAULT_RETRY_POLICY, 1, 0.5)).toBe(1500);
  });

  it("reads seconds and HTTP dates", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfterMs("3")).toBe(3000);
    expect(parseRetryAfterMs("Thu, 01 Jan 2026 00:00:02 GMT", now)).toBe(2000);
    expect(parseRetryAfterMs("soon")).toBeUndefined();
  });
});

describe("sendWithRetry", () => {
  it("retries the plugin's statuses and every non-answer, garbage included, until the endpoint recovers", async () => {
    const r = await startFaultReceiver();
    closers.push(r.close);
    const script = [
      { kind: "status", status: 503 },
      { kind: "garbage" },
      { kind: "reset" },
      { kind: "half-body" },
      { kind: "ok" },
    ] as const;
    r.setFault((i) => script[i] ?? { kind: "ok" });
    const transport = createHttpTransport({ url: r.url, timeoutMs: 500 });
    const result = await sendWithRetry(transport, "x", { policy: FAST, deadline: Date.now() + 5000 });
    expect(result).toMatchObject({ ok: true, attempts: 5 });
  });

  it("does not retry other statuses (413) and honours Retry-After", async () => {
    const r = await startFaultReceiver({ kind: "status", status: 413 });
    closers.push(r.close);
    const transport = createHttpTransport({ url: r.url, timeoutMs: 500 });
    const failed = await sendWithRetry(transport, "x", { policy: FAST, deadline: Date.now() + 5000 });
    expect(failed).toMatchObject({ ok: false, attempts: 1 });
    r.setFault((i) => (i === 1 ? { kind: "status", status: 429, retryAfter: "1" } : { kind: "ok" }));
    const started = Date.now();
    const ok = await sendWithRetry(transport, "x", { policy: FAST, deadline: Date.now() + 5000 });
    expect(ok).toMatchObject({ ok: true, attempts: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("stays within the deadline against a refused port", async () => {
    const url = await refusedUrl();
    const transport = createHttpTransport({ url, timeoutMs: 500 });
    const started = Date.now();
    // No jitter, so the attempt count is exact: tries at 0 and 1000 ms; the next backoff (1500 ms) would pass the deadline.
    const policy = { ...DEFAULT_RETRY_POLICY, jitter: 0 };
    const result = await sendWithRetry(transport, "x", { policy, deadline: Date.now() + 2000 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result).toMatchObject({ ok: false, attempts: 2 });
    if (!result.ok) expect(result.error.message).toBe(`connection refused (${new URL(url).host})`);
  });

  it("port 9 (on fetch's bad-port list) fails at once, named, and is not retried", async () => {
    const transport = createHttpTransport({ url: "http://127.0.0.1:9/v1/traces", timeoutMs: 500 });
    const result = await sendWithRetry(transport, "x", { deadline: Date.now() + 5000 });
    expect(result).toMatchObject({ ok: false, attempts: 1 });
    if (!result.ok) expect(result.error.message).toBe("port blocked by fetch (127.0.0.1:9)");
  });

  it("a kill switch engaged through the environment cancels a pending retry: nothing more is sent", async () => {
    const r = await startFaultReceiver({ kind: "status", status: 503 });
    closers.push(r.close);
    const env: Record<string, string | undefined> = {};
    const killSwitch = new RuntimeKillSwitch(env);
    const transport = createHttpTransport({ url: r.url, timeoutMs: 500, killSwitch });
    const started = Date.now();
    const pending = sendWithRetry(transport, "x", {
      policy: { ...FAST, initialBackoffMs: 1000, maxBackoffMs: 1000 },
      deadline: Date.now() + 10_000,
      killSwitch,
    });
    setTimeout(() => {
      env.DO_NOT_TRACK = "1";
    }, 200);
    const result = await pending;
    expect(result).toMatchObject({ ok: false, stopped: true, attempts: 1 });
    expect(Date.now() - started).toBeLessThan(800);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(r.requests).toHaveLength(1);
  });
});
