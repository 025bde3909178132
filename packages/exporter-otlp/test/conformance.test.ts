import { runExporterConformance } from "@pipelex/telemetry-core/testing";
import { describe, expect, it } from "vitest";
import * as pluginModule from "../src/index.js";

describe("runExporterConformance", () => {
  it("passes every check, pointed at the kit's receiver", async () => {
    const report = await runExporterConformance(pluginModule, {
      options: (receiver) => ({
        name: "conformance",
        endpoint: `${receiver.url}/v1/traces`,
        headers: { Authorization: "Bearer conformance-secret-token" },
      }),
      // The import-time check imports the built module in a child process.
      importFrom: new URL("../dist/index.js", import.meta.url),
      timeoutMs: 5000,
      watchMs: 1500,
    });
    expect(report.plugin).toBe("otlp");
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.checks.filter((c) => c.note)).toEqual([]);
    expect(report.requestsReceived).toBeGreaterThan(0);
  }, 60_000);
});
