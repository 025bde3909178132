import { runExporterConformance } from "@pipelex/telemetry-core/testing";
import { describe, expect, it } from "vitest";
import * as gatewayModule from "../src/index.js";

describe("plugin conformance", () => {
  it("the default export passes core's exporter conformance kit, pointed at the kit's receiver", async () => {
    const report = await runExporterConformance(gatewayModule, {
      options: (receiver) => ({
        apiKey: "pgw_conformance_key_0123456789",
        endpoint: receiver.url,
        projectKey: "phc_conformance_project_key_0123",
      }),
      // The import-time check imports the built module in a child process.
      importFrom: new URL("../dist/index.js", import.meta.url),
      timeoutMs: 5000,
      watchMs: 1500,
    });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.checks.filter((c) => c.note)).toEqual([]);
    expect(report.requestsReceived).toBeGreaterThan(0);
  }, 60_000);
});
