import { ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { destination } from "../plugin/destination.js";
import { createTelemetry } from "../telemetry/create-telemetry.js";
import { runSampleWorkflow } from "../testing/sample-workflow.js";

/** Answers every export after `ms`, recording batch sizes and the most exports in flight at once. */
class SlowExporter implements SpanExporter {
  sizes: number[] = [];
  inFlight = 0;
  maxInFlight = 0;
  constructor(private readonly ms: number) {}
  export(spans: ReadableSpan[], done: (r: { code: ExportResultCode }) => void): void {
    this.sizes.push(spans.length);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    setTimeout(() => {
      this.inFlight--;
      done({ code: ExportResultCode.SUCCESS });
    }, this.ms);
  }
  async shutdown(): Promise<void> {}
}

describe("bounded concurrent exports", () => {
  it("runs up to maxConcurrentExports full batches at once while the queue is backed up, one otherwise", async () => {
    const slow = new SlowExporter(50);
    const telemetry = createTelemetry({
      env: {},
      logLevel: "silent",
      destinations: [
        destination({
          name: "slow",
          exporter: slow,
          delivery: { maxExportBatchSize: 30, maxConcurrentExports: 3, scheduledDelayMillis: 60_000 },
        }),
      ],
    });
    for (let i = 0; i < 100; i++) await runSampleWorkflow(telemetry, `run-${i}`);
    await telemetry.forceFlush();
    expect(slow.maxInFlight).toBe(3);
    expect(slow.sizes.reduce((a, b) => a + b, 0)).toBe(300);
    expect(telemetry.stats().slow).toMatchObject({ exported: 300, queued: 0 });
    await telemetry.shutdown();
  });

  it("exportTriggerSize starts an export before the delay; under load one takes up to maxExportBatchSize", async () => {
    const slow = new SlowExporter(100);
    const telemetry = createTelemetry({
      env: {},
      logLevel: "silent",
      destinations: [
        destination({
          name: "slow",
          exporter: slow,
          delivery: { maxExportBatchSize: 200, exportTriggerSize: 6, scheduledDelayMillis: 60_000 },
        }),
      ],
    });
    await runSampleWorkflow(telemetry, "a");
    await runSampleWorkflow(telemetry, "b");
    await new Promise((resolve) => setTimeout(resolve, 20));
    // 6 spans reached the trigger: exported without waiting for the 60 s delay.
    expect(slow.sizes).toEqual([6]);
    for (let i = 0; i < 40; i++) await runSampleWorkflow(telemetry, `run-${i}`);
    await telemetry.forceFlush();
    // While the first export was in flight, the next one took everything queued.
    expect(slow.sizes[1]).toBe(120);
    await telemetry.shutdown();
  });

  it("forceFlush after shutdown returns at once", async () => {
    const slow = new SlowExporter(10);
    const telemetry = createTelemetry({
      env: {},
      logLevel: "silent",
      destinations: [destination({ name: "slow", exporter: slow })],
    });
    await runSampleWorkflow(telemetry);
    await telemetry.shutdown({ timeoutMs: 1000 });
    const started = Date.now();
    await telemetry.forceFlush();
    expect(Date.now() - started).toBeLessThan(20);
  });
});
