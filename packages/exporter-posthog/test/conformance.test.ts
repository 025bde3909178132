import { runExporterConformance } from "@pipelex/telemetry-core/testing";
import { expect, it } from "vitest";
import * as pluginModule from "../src/index.js";
import { receiverOptions, withReceiver } from "./helpers.js";

it("passes core's exporter conformance suite against the live receiver", async () => {
  await withReceiver(async (receiver) => {
    const report = await runExporterConformance(pluginModule, {
      options: receiverOptions(receiver),
      timeoutMs: 5000,
    });
    expect(report.plugin).toBe("posthog");
    expect(report.checks.every((c) => c.ok)).toBe(true);
    expect(report.checks.length).toBeGreaterThanOrEqual(10);
    // The suite's workflows really reached the receiver.
    expect(receiver.events.some((e) => e.event === "$ai_generation")).toBe(true);
  });
});
