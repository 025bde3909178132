import { createTelemetry } from "@pipelex/telemetry-core";
import { type OtlpReceiver, startOtlpReceiver } from "@pipelex/test-receivers";
import { afterEach, describe, expect, it } from "vitest";
import { otlp } from "../src/index.js";
import { captureLogger, PROMPT_DELIVERY, runWorkflow } from "./helpers.js";

let receiver: OtlpReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function setup(timeoutMs?: number) {
  receiver = await startOtlpReceiver();
  const logger = captureLogger();
  const telemetry = createTelemetry({
    env: {},
    logger,
    logLevel: "debug",
    destinations: [
      otlp({ name: "collector", endpoint: receiver.tracesUrl, timeoutMs, delivery: PROMPT_DELIVERY }),
    ],
  });
  return { receiver, telemetry, logger };
}

const gaps = (receiver: OtlpReceiver) =>
  receiver.exports.slice(1).map((e, i) => e.request.receivedAt - receiver.exports[i]!.request.receivedAt);

describe("delivery against a collector that pushes back", () => {
  it("503, 503, then 200: retried with backoff, nothing lost", async () => {
    const { receiver, telemetry } = await setup();
    receiver.queueReplies({ status: 503 }, { status: 503 });
    await runWorkflow(telemetry);
    await telemetry.forceFlush();

    expect(receiver.exports.map((e) => e.status)).toEqual([503, 503, 200]);
    // The same three spans in every attempt, and all three kept in the end.
    const ids = receiver.exports.map((e) => e.spans.map((s) => s.spanId).sort());
    expect(ids[0]).toHaveLength(3);
    expect(ids[1]).toEqual(ids[0]);
    expect(ids[2]).toEqual(ids[0]);
    expect(receiver.acceptedSpans()).toHaveLength(3);
    // 1 s then 1.5 s, +-20 % jitter (upper bounds leave slack for a loaded machine).
    const [first, second] = gaps(receiver);
    expect(first).toBeGreaterThanOrEqual(790);
    expect(first).toBeLessThanOrEqual(1600);
    expect(second).toBeGreaterThanOrEqual(1190);
    expect(second).toBeLessThanOrEqual(2300);
    expect(telemetry.stats().collector).toMatchObject({ exported: 3, dropped: { exportFailed: 0 } });
    await telemetry.shutdown({ timeoutMs: 1000 });
  });

  it("429 with Retry-After: 1 waits about one second, then delivers", async () => {
    const { receiver, telemetry } = await setup();
    receiver.queueReplies({ status: 429, headers: { "retry-after": "1" } });
    await runWorkflow(telemetry);
    await telemetry.forceFlush();

    expect(receiver.exports.map((e) => e.status)).toEqual([429, 200]);
    const [gap] = gaps(receiver);
    // Retry-After replaces the jittered backoff: 1000 ms, not 800-1200.
    expect(gap).toBeGreaterThanOrEqual(990);
    expect(gap).toBeLessThanOrEqual(1600);
    expect(telemetry.stats().collector).toMatchObject({ exported: 3, dropped: { exportFailed: 0 } });
    await telemetry.shutdown({ timeoutMs: 1000 });
  });

  it("400: no retry, the drop is counted as exportFailed", async () => {
    const { receiver, telemetry, logger } = await setup();
    receiver.queueReplies({ status: 400, body: "malformed span" });
    await runWorkflow(telemetry);
    await telemetry.forceFlush();
    // Give a (wrong) retry the time it would need to show up.
    await new Promise((resolve) => setTimeout(resolve, 1300));

    expect(receiver.exports.map((e) => e.status)).toEqual([400]);
    expect(telemetry.stats().collector).toMatchObject({ exported: 0, dropped: { exportFailed: 3 } });
    expect(logger.lines.some((l) => l.includes("HTTP 400"))).toBe(true);

    // The destination keeps working for the next batch.
    await runWorkflow(telemetry, "run-otlp-0002");
    await telemetry.forceFlush();
    expect(telemetry.stats().collector).toMatchObject({ exported: 3, dropped: { exportFailed: 3 } });
    await telemetry.shutdown({ timeoutMs: 1000 });
  });

  it("stops retrying at the export timeout and counts the batch as exportFailed", async () => {
    const { receiver, telemetry } = await setup(1500);
    const started = Date.now();
    receiver.queueReplies(...Array.from({ length: 10 }, () => ({ status: 503 })));
    await runWorkflow(telemetry);
    await telemetry.forceFlush();
    // One retry after ~1 s fits in 1.5 s; the next (~1.5 s later) would not, so it is not made.
    expect(receiver.exports.map((e) => e.status)).toEqual([503, 503]);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(telemetry.stats().collector).toMatchObject({ exported: 0, dropped: { exportFailed: 3 } });
    await telemetry.shutdown({ timeoutMs: 1000 });
  });
});

describe("a collector that refuses connections", () => {
  it("is named in the log within one attempt, and forceFlush returns within the export timeout", async () => {
    const { refusedUrl } = await import("@pipelex/test-receivers");
    const endpoint = `${await refusedUrl()}/v1/traces`;
    const lines: { at: number; line: string }[] = [];
    const push = (line: string) => lines.push({ at: Date.now(), line });
    const telemetry = createTelemetry({
      env: {},
      logger: { debug: push, info: push, warn: push, error: push },
      logLevel: "debug",
      destinations: [otlp({ name: "down", endpoint, timeoutMs: 2000, delivery: PROMPT_DELIVERY })],
    });
    await runWorkflow(telemetry);
    const started = Date.now();
    await telemetry.forceFlush();
    const elapsed = Date.now() - started;
    const host = new URL(endpoint).host;
    const first = lines.find((l) => l.line.includes(`connection refused (${host})`));
    expect(first, lines.map((l) => l.line).join("\n")).toBeDefined();
    expect(first!.at - started).toBeLessThan(1000);
    // The documented budget: the export timeout (2 s here) bounds every attempt and wait.
    expect(elapsed).toBeLessThan(2500);
    expect(telemetry.stats().down).toMatchObject({ exported: 0, dropped: { exportFailed: 3 } });
    // The describer names the host, never the path.
    const failures = lines.filter((l) => l.line.includes("connection refused"));
    expect(failures.filter((l) => l.line.includes("/v1/traces")).map((l) => l.line)).toEqual([]);
    await telemetry.shutdown({ timeoutMs: 500 });
  });
});
