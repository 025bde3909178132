import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { destination } from "../plugin/destination.js";
import { defineDestination } from "../plugin/destination-spec.js";
import { createTelemetry } from "../telemetry/create-telemetry.js";
import { inMemoryDestination } from "../testing/in-memory.js";
import { runSampleWorkflow } from "../testing/sample-workflow.js";

/** Accepts spans and never answers. */
class HangingExporter implements SpanExporter {
  received = 0;
  export(spans: ReadableSpan[]): void {
    this.received += spans.length;
  }
  shutdown(): Promise<void> {
    return new Promise(() => {});
  }
  forceFlush(): Promise<void> {
    return new Promise(() => {});
  }
}

describe("bounded shutdown", () => {
  it("resolves within the timeout with a hanging exporter and reports what was not delivered", async () => {
    const hanging = new HangingExporter();
    const healthy = inMemoryDestination("healthy");
    const telemetry = createTelemetry({
      env: {},
      logLevel: "silent",
      destinations: [
        destination({ name: "hanging", exporter: hanging, delivery: { maxExportBatchSize: 2 } }),
        healthy.destination,
      ],
    });
    for (let i = 0; i < 5; i++) await runSampleWorkflow(telemetry, `run-${i}`);

    const started = performance.now();
    const report = await telemetry.shutdown({ timeoutMs: 200 });
    const elapsed = performance.now() - started;

    expect(elapsed).toBeLessThan(400);
    expect(report.complete).toBe(false);
    expect(report.destinations.hanging?.timedOut).toBe(true);
    // 15 spans: 2 in flight when the deadline hit, 13 still queued.
    expect(report.destinations.hanging?.exported).toBe(0);
    expect(report.destinations.hanging?.notDelivered).toBe(15);
    expect(report.destinations.hanging?.dropped.shutdownTimeout).toBe(15);
    expect(hanging.received).toBe(2);
    // The other destination delivered everything, undelayed by the hanging one.
    expect(report.destinations.healthy).toMatchObject({ exported: 15, notDelivered: 0, timedOut: false });
    expect(healthy.spans()).toHaveLength(15);
  });

  it("a full queue drops the newest spans and counts them", async () => {
    const hanging = new HangingExporter();
    const telemetry = createTelemetry({
      env: {},
      logLevel: "silent",
      destinations: [
        destination({
          name: "hanging",
          exporter: hanging,
          delivery: { maxQueueSize: 10, maxExportBatchSize: 5 },
        }),
      ],
    });
    for (let i = 0; i < 10; i++) {
      await runSampleWorkflow(telemetry, `run-${i}`);
      // An export starts at the turn after the queue filled, never inside the app's own task.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const stats = telemetry.stats().hanging!;
    // 30 spans: 5 went out in the first (hanging) batch, 10 fill the queue, 15 dropped.
    expect(stats.queued).toBe(10);
    expect(stats.dropped.queueFull).toBe(15);
    expect(hanging.received).toBe(5);
    await telemetry.shutdown({ timeoutMs: 50 });
  });

  it("with the endpoint up, shutdown loses nothing", async () => {
    const memory = inMemoryDestination("memory", {
      delivery: { maxExportBatchSize: 7, scheduledDelayMillis: 60_000 },
    });
    const telemetry = createTelemetry({ env: {}, destinations: [memory.destination] });
    for (let i = 0; i < 20; i++) await runSampleWorkflow(telemetry, `run-${i}`);
    const report = await telemetry.shutdown({ timeoutMs: 2000 });
    expect(report.complete).toBe(true);
    expect(memory.spans()).toHaveLength(60);
    expect(report.destinations.memory).toMatchObject({ exported: 60, notDelivered: 0 });
  });
});

describe("many requests in flight", () => {
  it("listening to shutdownSignal from a dozen requests at once prints no MaxListenersExceededWarning", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on("warning", onWarning);
    const telemetry = createTelemetry({
      env: {},
      logLevel: "silent",
      destinations: [
        defineDestination({
          name: "busy",
          redact: [],
          createExporter: (context) => {
            // As twelve concurrent requests and their retry waits do.
            for (let i = 0; i < 20; i++) context.shutdownSignal.addEventListener("abort", () => {});
            return new HangingExporter();
          },
        }),
      ],
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    process.off("warning", onWarning);
    expect(warnings).not.toContain("MaxListenersExceededWarning");
    await telemetry.shutdown({ timeoutMs: 50 });
  });
});
