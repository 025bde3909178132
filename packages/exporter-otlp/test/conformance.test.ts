import { runExporterConformance } from "@pipelex/telemetry-core/testing";
import { type OtlpReceiver, startOtlpReceiver } from "@pipelex/test-receivers";
import { afterEach, describe, expect, it } from "vitest";
import * as pluginModule from "../src/index.js";

let receiver: OtlpReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

describe("runExporterConformance", () => {
  it("passes every check against a live receiver", async () => {
    receiver = await startOtlpReceiver();
    const report = await runExporterConformance(pluginModule, {
      options: {
        name: "conformance",
        endpoint: receiver.tracesUrl,
        headers: { Authorization: "Bearer conformance-secret-token" },
      },
      timeoutMs: 5000,
    });
    expect(report.plugin).toBe("otlp");
    expect(report.checks.length).toBeGreaterThanOrEqual(10);
    expect(report.checks.every((c) => c.ok)).toBe(true);
    // The export check really reached the collector, with the sample workflow's spans.
    expect(receiver.acceptedSpans().length).toBeGreaterThanOrEqual(3);
    expect(
      receiver.exports.every((e) => e.request.headers.authorization === "Bearer conformance-secret-token"),
    ).toBe(true);
  });
});
