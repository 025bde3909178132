import { ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { spin, startTurnCounter } from "../../test/event-loop.js";
import { SLICE_BUDGET_MS } from "../plugin/delivery/slices.js";
import { destination } from "../plugin/destination.js";
import type { RedactorFn } from "../redaction/redactor.js";
import { createTelemetry } from "../telemetry/create-telemetry.js";
import type { DeliveryOptions } from "./options.js";

/** Records how many spans each export carried; answers after `ms` (never, when undefined). */
class RecordingExporter implements SpanExporter {
  sizes: number[] = [];
  constructor(private readonly ms?: number) {}
  export(spans: ReadableSpan[], done: (r: { code: ExportResultCode }) => void): void {
    this.sizes.push(spans.length);
    if (this.ms !== undefined) setTimeout(() => done({ code: ExportResultCode.SUCCESS }), this.ms);
  }
  async shutdown(): Promise<void> {}
}

/** `n` inference spans recorded synchronously, as an app's loop would. */
function recordSpans(telemetry: ReturnType<typeof createTelemetry>, n: number): void {
  for (let i = 0; i < n; i++)
    telemetry.inference({ model: "m", provider: "p", operation: "chat" }, () => "ok");
}

/** Telemetry with one destination "d": `exporter` behind `redactor`, with these delivery options. */
function redactedTelemetry(exporter: SpanExporter, redactor: RedactorFn, delivery: DeliveryOptions) {
  return createTelemetry({
    env: {},
    logLevel: "silent",
    destinations: [
      destination({ name: "d", exporter, redact: [redactor], neverHoldsProcess: true, delivery }),
    ],
  });
}

describe("delivery never runs inside the app's own task", () => {
  it("a full batch is exported at a later turn, not while the app is still recording", async () => {
    const exporter = new RecordingExporter(0);
    const telemetry = createTelemetry({
      env: {},
      logLevel: "silent",
      destinations: [destination({ name: "d", exporter, delivery: { maxExportBatchSize: 10 } })],
    });
    recordSpans(telemetry, 25);
    await Promise.resolve();
    await Promise.resolve();
    // Microtasks after the app's task ran: still nothing exported.
    expect(exporter.sizes).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(exporter.sizes.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(20);
    await telemetry.shutdown({ timeoutMs: 1000 });
  });

  it("redaction of a large batch runs in slices, one per event-loop turn", async () => {
    const COST = 0.05;
    const turns = startTurnCounter();
    const perTurn = new Map<number, number>();
    const slowRedactor: RedactorFn = (span) => {
      perTurn.set(turns.turn, (perTurn.get(turns.turn) ?? 0) + 1);
      spin(COST);
      return span;
    };
    const exporter = new RecordingExporter(0);
    const telemetry = redactedTelemetry(exporter, slowRedactor, {
      maxExportBatchSize: 1000,
      maxQueueSize: 1000,
      scheduledDelayMillis: 60_000,
    });
    recordSpans(telemetry, 1000);
    await telemetry.forceFlush();
    turns.stop();
    expect(exporter.sizes).toEqual([1000]);
    // 50 ms of redaction; no turn spent more than one slice (+ one span) on it.
    expect(Math.max(...perTurn.values()) * COST).toBeLessThanOrEqual(SLICE_BUDGET_MS + COST + 1e-9);
    await telemetry.shutdown({ timeoutMs: 1000 });
  });

  it("stats() counts a batch being redacted as queued, so every span is accounted for at any moment", async () => {
    const held: number[] = [];
    const exporter: SpanExporter = {
      export(spans, done) {
        held.push(spans.length);
        setTimeout(() => {
          held.splice(held.indexOf(spans.length), 1);
          done({ code: ExportResultCode.SUCCESS });
        }, 5);
      },
      async shutdown() {},
    };
    let seen = 0;
    const slowRedactor: RedactorFn = (span) => {
      spin(0.05);
      return ++seen % 10 === 3 ? null : span;
    };
    const telemetry = redactedTelemetry(exporter, slowRedactor, {
      maxExportBatchSize: 500,
      maxQueueSize: 5000,
      scheduledDelayMillis: 0,
    });
    recordSpans(telemetry, 2000);
    const mismatches: number[] = [];
    for (let i = 0; i < 60; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      const s = telemetry.stats().d!;
      const inExporter = held.reduce((a, b) => a + b, 0);
      const total =
        s.exported + s.queued + s.filtered + inExporter + Object.values(s.dropped).reduce((a, b) => a + b, 0);
      if (total !== 2000) mismatches.push(total);
    }
    expect(mismatches).toEqual([]);
    await telemetry.shutdown({ timeoutMs: 2000 });
  });

  it("shutdown giving up while a batch is being redacted still accounts for every span", async () => {
    const exporter = new RecordingExporter(); // never answers
    let seen = 0;
    const slowRedactor: RedactorFn = (span) => {
      spin(0.2);
      // Some spans filtered out: they must not be counted twice when shutdown gives up.
      return ++seen % 10 === 7 ? null : span;
    };
    const telemetry = redactedTelemetry(exporter, slowRedactor, {
      maxExportBatchSize: 2000,
      maxQueueSize: 2000,
      scheduledDelayMillis: 0,
    });
    recordSpans(telemetry, 2000);
    // 2000 x 0.2 ms = 400 ms of redaction: shutdown gives up in the middle of it.
    const report = await telemetry.shutdown({ timeoutMs: 100 });
    const stats = telemetry.stats().d!;
    const dropped = Object.values(stats.dropped).reduce((a, b) => a + b, 0);
    expect(report.destinations.d!.timedOut).toBe(true);
    expect(stats.exported + stats.queued + stats.filtered + dropped).toBe(2000);
    expect(stats.dropped.shutdownTimeout).toBeGreaterThan(0);
  });
});

describe("spans in flight", () => {
  it("are not held by the pipeline while the exporter's request is out (only the exporter decides)", async () => {
    const { setFlagsFromString } = await import("node:v8");
    const { runInNewContext } = await import("node:vm");
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const refs: WeakRef<object>[] = [];
    const answers: ((r: { code: ExportResultCode }) => void)[] = [];
    // Like the gateway: looks at the spans, keeps only the callback while "on the wire".
    const exporter: SpanExporter = {
      export(spans, done) {
        for (const span of spans) refs.push(new WeakRef(span));
        answers.push(done);
      },
      async shutdown() {},
    };
    const telemetry = createTelemetry({
      env: {},
      logLevel: "silent",
      destinations: [destination({ name: "d", exporter, delivery: { maxExportBatchSize: 50 } })],
    });
    recordSpans(telemetry, 50);
    while (answers.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 10));
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(refs).toHaveLength(50);
    expect(refs.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
    for (const answer of answers) answer({ code: ExportResultCode.SUCCESS });
    await telemetry.shutdown({ timeoutMs: 1000 });
    expect(telemetry.stats().d).toMatchObject({ exported: 50 });
  });
});
