import type { ExportResult } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import { createTelemetry, destination } from "@pipelex/telemetry-core";
import { inMemoryDestination, runSampleWorkflow } from "@pipelex/telemetry-core/testing";
import { type GatewayReceiver, startGatewayReceiver } from "@pipelex/test-receivers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatewayStream } from "../src/index.js";
import { closedPortUrl } from "./support.js";

const KEY = "pgw_isolation_key_0123456789";
let receiver: GatewayReceiver;
beforeAll(async () => {
  receiver = await startGatewayReceiver();
});
afterAll(() => receiver.close());

/** A custom destination whose export never answers (a wedged collector). */
class HangingExporter implements SpanExporter {
  calls = 0;
  export(_spans: ReadableSpan[], _done: (result: ExportResult) => void): void {
    this.calls++;
  }
  shutdown(): Promise<void> {
    return new Promise(() => {});
  }
}

async function until(check: () => boolean, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Date.now() - started;
}

describe("the gateway never shares a queue with custom destinations", () => {
  it("a hanging custom destination does not delay the gateway", async () => {
    const hanging = new HangingExporter();
    const stream = gatewayStream({ apiKey: KEY, remoteConfigUrl: receiver.remoteConfigUrl, env: {} });
    const telemetry = createTelemetry({
      env: {},
      destinations: [
        destination({ name: "wedged", exporter: hanging, delivery: { scheduledDelayMillis: 10 } }),
        stream,
      ],
      logLevel: "silent",
    });
    await stream.ready();
    const firstEvent = receiver.events().length;
    await runSampleWorkflow(telemetry);
    await until(() => hanging.calls > 0, 2000); // the custom destination is now stuck in export
    // The gateway's own 2 s batch timer fires and delivers while the other export hangs.
    const waitedMs = await until(() => receiver.events().length - firstEvent >= 3, 4000);
    expect(waitedMs).toBeLessThan(3000);
    // The receiver has the events; the pipeline counts them once the response is read.
    await until(() => telemetry.stats()["pipelex-gateway"]?.exported === 3, 1000);
    const report = await telemetry.shutdown({ timeoutMs: 300 });
    expect(report.destinations.wedged?.timedOut).toBe(true);
    expect(report.destinations["pipelex-gateway"]?.timedOut).toBe(false);
  });

  it("a down gateway ingest does not delay an in-memory destination, and shutdown stays bounded", async () => {
    const memory = inMemoryDestination("memory", { delivery: { scheduledDelayMillis: 10 } });
    const stream = gatewayStream({
      apiKey: KEY,
      endpoint: await closedPortUrl(),
      projectKey: "phc_x",
      env: {},
    });
    const telemetry = createTelemetry({
      env: {},
      destinations: [stream, memory.destination],
      logLevel: "silent",
    });
    await stream.ready();
    const started = Date.now();
    await runSampleWorkflow(telemetry);
    await until(() => memory.spans().length >= 3, 1000);
    expect(Date.now() - started).toBeLessThan(500);
    // Again, while the gateway is retrying its first batch.
    await runSampleWorkflow(telemetry);
    await until(() => memory.spans().length >= 6, 1000);
    const shutdownStarted = Date.now();
    const report = await telemetry.shutdown({ timeoutMs: 500 });
    expect(Date.now() - shutdownStarted).toBeLessThan(1000);
    expect(report.destinations.memory).toMatchObject({ exported: 6, notDelivered: 0 });
    expect(report.destinations["pipelex-gateway"]?.exported).toBe(0);
    expect(report.destinations["pipelex-gateway"]?.notDelivered).toBe(6);
  });

  it("a gateway ingest that hangs does not delay an in-memory destination either", async () => {
    const hangingIngest = await startGatewayReceiver({
      ingestReply: () => ({ status: 200, delayMs: 20_000 }),
    });
    try {
      const memory = inMemoryDestination("memory", { delivery: { scheduledDelayMillis: 10 } });
      const stream = gatewayStream({ apiKey: KEY, remoteConfigUrl: hangingIngest.remoteConfigUrl, env: {} });
      const telemetry = createTelemetry({
        env: {},
        destinations: [stream, memory.destination],
        logLevel: "silent",
      });
      await stream.ready();
      await runSampleWorkflow(telemetry);
      const flushing = telemetry.forceFlush(); // the gateway's export is now in flight, hanging
      await until(() => hangingIngest.ingestRequests().length > 0, 2000);
      await runSampleWorkflow(telemetry);
      await until(() => memory.spans().length >= 6, 1000);
      const report = await telemetry.shutdown({ timeoutMs: 300 });
      expect(report.destinations.memory?.notDelivered).toBe(0);
      expect(report.destinations["pipelex-gateway"]?.timedOut).toBe(true);
      void flushing;
    } finally {
      await hangingIngest.close();
    }
  });
});
