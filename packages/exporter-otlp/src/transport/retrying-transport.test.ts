import type { ExportResponse, IExporterTransport } from "@opentelemetry/otlp-exporter-base";
import { describe, expect, it } from "vitest";
import { createRetryingTransport } from "./retrying-transport.js";

/** An inner transport that answers from a script and records when it was called. */
function scripted(...answers: ExportResponse[]): IExporterTransport & { calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    async send() {
      calls.push(Date.now());
      return answers.shift() ?? { status: "success" };
    },
    shutdown() {},
  };
}

const retryable = (retryInMillis?: number): ExportResponse => ({ status: "retryable", retryInMillis });

describe("createRetryingTransport", () => {
  it("retries retryable answers and returns the first success", async () => {
    const inner = scripted(retryable(5), retryable(5));
    const transport = createRetryingTransport(inner, { signal: new AbortController().signal });
    await expect(transport.send(new Uint8Array(), 1000)).resolves.toEqual({ status: "success" });
    expect(inner.calls).toHaveLength(3);
  });

  it("gives up after 5 retries (6 attempts) and reports a failure", async () => {
    const inner = scripted(...Array.from({ length: 10 }, () => retryable(1)));
    const transport = createRetryingTransport(inner, { signal: new AbortController().signal });
    const result = await transport.send(new Uint8Array(), 5000);
    expect(result.status).toBe("failure");
    expect(inner.calls).toHaveLength(6);
  });

  it("does not retry failures", async () => {
    const inner = scripted({ status: "failure", error: new Error("HTTP 400") });
    const transport = createRetryingTransport(inner, { signal: new AbortController().signal });
    expect((await transport.send(new Uint8Array(), 1000)).status).toBe("failure");
    expect(inner.calls).toHaveLength(1);
  });

  it("ends a pending backoff at once when the signal aborts, and sends nothing more", async () => {
    const controller = new AbortController();
    const inner = scripted(retryable(10_000));
    const transport = createRetryingTransport(inner, { signal: controller.signal });
    const started = Date.now();
    const pending = transport.send(new Uint8Array(), 60_000);
    setTimeout(() => controller.abort(), 50);
    const result = await pending;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result.status).toBe("failure");
    expect(inner.calls).toHaveLength(1);
  });

  it("uses the jittered backoff when there is no Retry-After", async () => {
    const inner = scripted(retryable(), retryable());
    const waits: number[] = [];
    const transport = createRetryingTransport(inner, {
      signal: new AbortController().signal,
      random: () => 0, // -20 %: 800 ms, then 1200 ms
      onRetry: (_retry, waitMs) => waits.push(waitMs),
    });
    // A 1 s budget: the first retry (800 ms) fits, the second (1200 ms) would start too late.
    const result = await transport.send(new Uint8Array(), 1000);
    expect(waits).toEqual([800]);
    expect(result.status).toBe("failure");
    expect(inner.calls).toHaveLength(2);
  });
});
