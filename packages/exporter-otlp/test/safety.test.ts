import { createTelemetry } from "@pipelex/telemetry-core";
import { type OtlpReceiver, startOtlpReceiver } from "@pipelex/test-receivers";
import { afterEach, describe, expect, it } from "vitest";
import { otlp } from "../src/index.js";
import { captureLogger, PROMPT_DELIVERY, runWorkflow } from "./helpers.js";

const receivers: OtlpReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});
async function receiver(): Promise<OtlpReceiver> {
  const started = await startOtlpReceiver();
  receivers.push(started);
  return started;
}

describe("secrets and safety", () => {
  it("header values from OTEL_EXPORTER_OTLP_HEADERS are sent but never logged, even when the collector echoes them", async () => {
    const collector = await receiver();
    const secret = "env-secret-value-0123456789";
    collector.queueReplies({ status: 401, body: `invalid credentials: Bearer ${secret}` });
    const logger = captureLogger();
    const telemetry = createTelemetry({
      env: { OTEL_EXPORTER_OTLP_TRACES_HEADERS: `Authorization=Bearer%20${secret}` },
      logger,
      logLevel: "debug",
      destinations: [otlp({ name: "collector", endpoint: collector.tracesUrl, delivery: PROMPT_DELIVERY })],
    });
    await runWorkflow(telemetry);
    await telemetry.forceFlush();
    await telemetry.shutdown({ timeoutMs: 1000 });
    expect(collector.exports[0]!.request.headers.authorization).toBe(`Bearer ${secret}`);
    expect(telemetry.stats().collector?.dropped.exportFailed).toBe(3);
    const log = logger.lines.join("\n");
    expect(log).toContain("HTTP 401");
    expect(log).toContain("headers [Authorization]");
    expect(log).not.toContain(secret);
  });

  it("does not follow redirects, so credentials never reach another host", async () => {
    const collector = await receiver();
    const elsewhere = await receiver();
    collector.queueReplies({ status: 307, headers: { location: elsewhere.tracesUrl } });
    const telemetry = createTelemetry({
      env: {},
      logLevel: "silent",
      destinations: [
        otlp({
          name: "collector",
          endpoint: collector.tracesUrl,
          headers: { Authorization: "Bearer redirect-secret" },
          delivery: PROMPT_DELIVERY,
        }),
      ],
    });
    await runWorkflow(telemetry);
    await telemetry.forceFlush();
    await telemetry.shutdown({ timeoutMs: 1000 });
    expect(collector.exports).toHaveLength(1);
    expect(elsewhere.http.requests).toHaveLength(0);
    expect(telemetry.stats().collector?.dropped.exportFailed).toBe(3);
  });

  it("telemetry.disable() during a retry backoff: nothing more is sent", async () => {
    const collector = await receiver();
    collector.queueReplies(...Array.from({ length: 6 }, () => ({ status: 503 })));
    const telemetry = createTelemetry({
      env: {},
      logLevel: "silent",
      destinations: [otlp({ name: "collector", endpoint: collector.tracesUrl, delivery: PROMPT_DELIVERY })],
    });
    await runWorkflow(telemetry);
    const flushing = telemetry.forceFlush();
    await collector.waitForExports(1, { timeoutMs: 5000 });
    telemetry.disable();
    await flushing;
    // The first retry would have come after ~1 s.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(collector.exports).toHaveLength(1);
    await telemetry.shutdown({ timeoutMs: 1000 });
  });
});
