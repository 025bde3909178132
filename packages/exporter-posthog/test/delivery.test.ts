import { startPosthogReceiver } from "@pipelex/test-receivers";
import { describe, expect, it } from "vitest";
import { captureLogs, receiverOptions, runWorkflow, telemetryFor, withReceiver } from "./helpers.js";

/** The workflow yields 5 spans and 6 events (a trace-start plus one per span). */
const SPANS = 5;
const EVENTS = 6;

const uniqueUuids = (events: readonly { uuid?: string }[]) => new Set(events.map((e) => e.uuid)).size;

describe("delivery against the live receiver", () => {
  it("the receiver answers 500, then recovers: nothing is lost and nothing is duplicated", async () => {
    await withReceiver(async (receiver) => {
      receiver.queueReplies({ status: 500, body: '{"error":"boom"}' });
      const telemetry = telemetryFor(receiverOptions(receiver));
      await runWorkflow(telemetry);
      await telemetry.shutdown({ timeoutMs: 5000 });
      expect(receiver.exchanges.map((x) => x.status)).toEqual([500, 200]);
      expect(receiver.events).toHaveLength(EVENTS);
      expect(uniqueUuids(receiver.events)).toBe(EVENTS);
      // The retry re-sent exactly what the 500 refused, same UUIDs (PostHog deduplicates on them).
      expect(receiver.exchanges[1]!.events.map((e) => e.uuid)).toEqual(
        receiver.exchanges[0]!.events.map((e) => e.uuid),
      );
      expect(telemetry.stats().posthog).toMatchObject({ exported: SPANS, dropped: { exportFailed: 0 } });
    });
  });

  it("a 503 on the second request of an export re-sends only that request's events", async () => {
    await withReceiver(async (receiver) => {
      receiver.queueReplies({ status: 200, body: "{}" }, { status: 503 });
      const telemetry = telemetryFor(receiverOptions(receiver, { maxBatchSize: 2 }));
      await runWorkflow(telemetry);
      await telemetry.shutdown({ timeoutMs: 5000 });
      const statuses = receiver.exchanges.map((x) => x.status);
      expect(statuses.slice(0, 2)).toEqual([200, 503]);
      expect(receiver.events).toHaveLength(EVENTS);
      expect(uniqueUuids(receiver.events)).toBe(EVENTS);
      expect(telemetry.stats().posthog).toMatchObject({ exported: SPANS, dropped: { exportFailed: 0 } });
    });
  });

  it("the receiver answers 413: the batch is split until it fits, and every event arrives once", async () => {
    // One event fits, the whole batch does not (PostHog measures the decompressed body).
    await withReceiver(
      async (receiver) => {
        const telemetry = telemetryFor(receiverOptions(receiver));
        await runWorkflow(telemetry);
        await telemetry.shutdown({ timeoutMs: 5000 });
        const [first, ...rest] = receiver.exchanges;
        expect(first!.status).toBe(413);
        expect(first!.request.body.length).toBeGreaterThan(1500);
        const accepted = rest.filter((x) => x.status === 200);
        expect(accepted.length).toBeGreaterThan(1);
        for (const x of accepted) expect(x.events.length).toBeLessThan(EVENTS);
        expect(receiver.events).toHaveLength(EVENTS);
        expect(uniqueUuids(receiver.events)).toBe(EVENTS);
        expect(telemetry.stats().posthog).toMatchObject({ exported: SPANS, dropped: { exportFailed: 0 } });
      },
      { maxBodyBytes: 1500 },
    );
  });

  it("an event too large even alone is not retried forever: the export is counted as failed", async () => {
    await withReceiver(
      async (receiver) => {
        const telemetry = telemetryFor(receiverOptions(receiver));
        await runWorkflow(telemetry);
        await telemetry.shutdown({ timeoutMs: 5000 });
        expect(receiver.events).toHaveLength(0);
        expect(receiver.exchanges.every((x) => x.status === 413)).toBe(true);
        expect(telemetry.stats().posthog).toMatchObject({ exported: 0, dropped: { exportFailed: SPANS } });
      },
      { maxBodyBytes: 100 },
    );
  });

  it("a wrong API key (401) is not retried; the spans are counted as exportFailed and the key is never logged", async () => {
    await withReceiver(async (receiver) => {
      const logs = captureLogs();
      const apiKey = "phc_wrong_key_0123456789abcdef";
      const telemetry = telemetryFor(receiverOptions(receiver, { apiKey }), logs);
      await runWorkflow(telemetry);
      await telemetry.shutdown({ timeoutMs: 5000 });
      expect(receiver.exchanges.map((x) => x.status)).toEqual([401]);
      expect(telemetry.stats().posthog).toMatchObject({ exported: 0, dropped: { exportFailed: SPANS } });
      const log = logs.lines.join("\n");
      expect(log).toContain("HTTP 401");
      expect(log).not.toContain(apiKey);
    });
  });

  it("honours Retry-After on 429", async () => {
    await withReceiver(async (receiver) => {
      receiver.queueReplies({ status: 429, headers: { "retry-after": "1" } });
      const telemetry = telemetryFor(receiverOptions(receiver));
      await runWorkflow(telemetry);
      await telemetry.shutdown({ timeoutMs: 5000 });
      const [refused, accepted] = receiver.exchanges;
      expect([refused?.status, accepted?.status]).toEqual([429, 200]);
      expect(accepted!.request.receivedAt - refused!.request.receivedAt).toBeGreaterThanOrEqual(950);
      expect(receiver.events).toHaveLength(EVENTS);
    });
  });

  it("endpoint down: retries fetchRetryCount times, then counts the spans as exportFailed", async () => {
    const receiver = await startPosthogReceiver();
    const options = receiverOptions(receiver, { fetchRetryCount: 2 });
    await receiver.close();
    const logs = captureLogs();
    const telemetry = telemetryFor(options, logs);
    await runWorkflow(telemetry);
    const started = Date.now();
    const report = await telemetry.shutdown({ timeoutMs: 5000 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(report.destinations.posthog).toMatchObject({
      exported: 0,
      notDelivered: SPANS,
      dropped: { exportFailed: SPANS },
    });
    expect(logs.lines.join("\n")).toMatch(/after 3 attempt\(s\): connection refused \(127\.0\.0\.1:\d+\)/);
  });

  it("a hanging endpoint: shutdown resolves within its timeout and reports what was not delivered", async () => {
    await withReceiver(async (receiver) => {
      const telemetry = telemetryFor(receiverOptions(receiver, { requestTimeout: 20_000 }));
      await runWorkflow(telemetry);
      receiver.queueReplies({ status: 200, delayMs: 10_000 });
      const started = Date.now();
      const report = await telemetry.shutdown({ timeoutMs: 400 });
      const took = Date.now() - started;
      // Bounded by the 400 ms timeout, with slack for a loaded machine; the reply would take 10 s.
      expect(took).toBeLessThan(2000);
      expect(report.complete).toBe(false);
      expect(report.destinations.posthog!.notDelivered).toBe(SPANS);
      expect(receiver.exchanges).toHaveLength(1);
    });
  });
});

describe("kill switch", () => {
  it("telemetry.disable() while a retry waits: posthog-node's queue is dropped and nothing more is sent", async () => {
    await withReceiver(async (receiver) => {
      receiver.queueReplies({ status: 500 });
      const telemetry = telemetryFor(receiverOptions(receiver, { fetchRetryDelay: 300, flushInterval: 0 }));
      await runWorkflow(telemetry);
      await receiver.waitForRequests(1, { timeoutMs: 5000 });
      telemetry.disable();
      await runWorkflow(telemetry, undefined, "run-after-disable");
      await telemetry.forceFlush();
      await new Promise((resolve) => setTimeout(resolve, 500));
      await telemetry.shutdown({ timeoutMs: 1000 });
      expect(receiver.exchanges.map((x) => x.status)).toEqual([500]);
      expect(receiver.events).toHaveLength(0);
      expect(telemetry.stats().posthog!.exported).toBe(0);
    });
  });

  it("telemetry.disable() with a request in flight aborts it and sends nothing after", async () => {
    await withReceiver(async (receiver) => {
      receiver.queueReplies({ status: 200, delayMs: 2000 });
      const telemetry = telemetryFor(receiverOptions(receiver, { flushInterval: 0 }));
      await runWorkflow(telemetry);
      await receiver.waitForRequests(1, { timeoutMs: 5000 });
      const started = Date.now();
      telemetry.disable();
      await runWorkflow(telemetry, undefined, "run-after-disable");
      await telemetry.shutdown({ timeoutMs: 3000 });
      expect(Date.now() - started).toBeLessThan(1500);
      expect(receiver.exchanges).toHaveLength(1);
      expect(telemetry.stats().posthog!.exported).toBe(0);
    });
  });

  it("DO_NOT_TRACK appearing in the environment after start stops sending", async () => {
    await withReceiver(async (receiver) => {
      const env: Record<string, string | undefined> = {};
      const { createTelemetry } = await import("@pipelex/telemetry-core");
      const { posthog } = await import("../src/index.js");
      const telemetry = createTelemetry({
        env,
        destinations: [posthog(receiverOptions(receiver))],
        logger: captureLogs(),
      });
      await runWorkflow(telemetry);
      env.DO_NOT_TRACK = "1";
      await telemetry.forceFlush();
      await telemetry.shutdown({ timeoutMs: 1000 });
      expect(receiver.exchanges).toHaveLength(0);
    });
  });
});
