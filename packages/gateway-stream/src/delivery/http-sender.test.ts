import { createServer } from "node:net";
import { type HttpReceiver, startHttpReceiver } from "@pipelex/test-receivers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendWithRetry } from "./http-sender.js";
import type { RetryPolicy } from "./retry-policy.js";

/** The gateway's policy shape, scaled down so the test runs in milliseconds. */
const FAST: RetryPolicy = {
  maxAttempts: 4,
  initialBackoffMs: 20,
  maxBackoffMs: 80,
  backoffMultiplier: 2,
  jitter: 0.2,
  requestTimeoutMs: 1000,
  totalBudgetMs: 3000,
};

let receiver: HttpReceiver;
beforeAll(async () => {
  receiver = await startHttpReceiver();
});
afterAll(() => receiver.close());

function requestsSince(start: number) {
  return receiver.requests.slice(start);
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/batch/`;
}

describe("sendWithRetry", () => {
  it("retries 503 and 429 with backoff, then succeeds; the body is identical each time", async () => {
    const start = receiver.requests.length;
    receiver.queueReplies({ status: 503 }, { status: 429 }, { status: 200, body: "{}" });
    const result = await sendWithRetry({ url: `${receiver.url}/batch/`, body: '{"a":1}' }, FAST);
    expect(result).toEqual({ ok: true, status: 200, attempts: 3 });
    const seen = requestsSince(start);
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((r) => r.body.toString()))).toEqual(new Set(['{"a":1}']));
    const gap1 = seen[1]!.receivedAt - seen[0]!.receivedAt;
    const gap2 = seen[2]!.receivedAt - seen[1]!.receivedAt;
    expect(gap1).toBeGreaterThanOrEqual(15); // 20 ms ±20 %
    expect(gap2).toBeGreaterThanOrEqual(31); // 40 ms ±20 %
  });

  it("does not retry other 4xx", async () => {
    for (const status of [400, 401, 403, 404, 413, 422]) {
      const start = receiver.requests.length;
      receiver.queueReplies({ status });
      const result = await sendWithRetry({ url: `${receiver.url}/batch/`, body: "{}" }, FAST);
      expect(result.ok).toBe(false);
      expect(result).toMatchObject({ attempts: 1, status });
      expect(requestsSince(start)).toHaveLength(1);
    }
  });

  it("gives up after maxAttempts on a persistent 502", async () => {
    const start = receiver.requests.length;
    receiver.queueReplies({ status: 502 }, { status: 502 }, { status: 502 }, { status: 502 });
    const result = await sendWithRetry({ url: `${receiver.url}/batch/`, body: "{}" }, FAST);
    expect(result).toMatchObject({ ok: false, attempts: 4, status: 502 });
    expect(requestsSince(start)).toHaveLength(4);
  });

  it("honours Retry-After over its own backoff", async () => {
    const start = receiver.requests.length;
    receiver.queueReplies({ status: 429, headers: { "retry-after": "1" } }, { status: 200 });
    const result = await sendWithRetry({ url: `${receiver.url}/batch/`, body: "{}" }, FAST);
    expect(result.ok).toBe(true);
    const [first, second] = requestsSince(start);
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(950);
  });

  it("gives up at once when Retry-After is beyond its budget", async () => {
    receiver.queueReplies({ status: 503, headers: { "retry-after": "60" } });
    const started = Date.now();
    const result = await sendWithRetry({ url: `${receiver.url}/batch/`, body: "{}" }, FAST);
    expect(result).toMatchObject({ ok: false, attempts: 1, status: 503 });
    expect(Date.now() - started).toBeLessThan(500);
  });

  it("retries network errors (connection refused) and says so without the URL", async () => {
    const url = await closedPortUrl();
    const result = await sendWithRetry({ url, body: "{}" }, FAST);
    expect(result).toMatchObject({ ok: false, attempts: 4 });
    if (!result.ok) {
      expect(result.reason).toMatch(/network error/);
      expect(result.reason).not.toContain("127.0.0.1");
    }
  });

  it("bounds each request and retries a timeout", async () => {
    const start = receiver.requests.length;
    receiver.queueReplies({ status: 200, delayMs: 2000 }, { status: 200 });
    const result = await sendWithRetry(
      { url: `${receiver.url}/batch/`, body: "{}" },
      { ...FAST, requestTimeoutMs: 200 },
    );
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    expect(requestsSince(start)).toHaveLength(2);
  });

  it("stops promptly when the caller's signal aborts, in flight or while backing off", async () => {
    receiver.queueReplies({ status: 200, delayMs: 5000 });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const inFlight = await sendWithRetry(
      { url: `${receiver.url}/batch/`, body: "{}", signal: controller.signal },
      FAST,
    );
    expect(inFlight.ok).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);

    receiver.queueReplies({ status: 503 });
    const backingOff = new AbortController();
    const started2 = Date.now();
    setTimeout(() => backingOff.abort(), 100);
    const waiting = await sendWithRetry(
      { url: `${receiver.url}/batch/`, body: "{}", signal: backingOff.signal },
      { ...FAST, initialBackoffMs: 10_000, maxBackoffMs: 10_000 },
    );
    expect(waiting).toMatchObject({ ok: false, attempts: 1 });
    expect(Date.now() - started2).toBeLessThan(1000);
  });

  it("never outlives its total budget", async () => {
    const alwaysBusy = await startHttpReceiver({ reply: () => ({ status: 503 }) });
    try {
      const started = Date.now();
      const result = await sendWithRetry(
        { url: `${alwaysBusy.url}/batch/`, body: "{}" },
        { ...FAST, maxAttempts: 100, initialBackoffMs: 100, maxBackoffMs: 100, totalBudgetMs: 400 },
      );
      expect(result.ok).toBe(false);
      expect(Date.now() - started).toBeLessThan(700);
      expect(alwaysBusy.requests.length).toBeGreaterThanOrEqual(3);
    } finally {
      await alwaysBusy.close();
    }
  });
});
