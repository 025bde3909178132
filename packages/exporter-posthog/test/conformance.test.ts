import { runExporterConformance } from "@pipelex/telemetry-core/testing";
import { expect, it } from "vitest";
import * as pluginModule from "../src/index.js";

it("passes core's exporter conformance kit, pointed at the kit's receiver", async () => {
  const report = await runExporterConformance(pluginModule, {
    options: (receiver) => ({
      mode: "anonymous",
      endpoint: receiver.url,
      apiKey: "phc_conformance_project_key_0123",
      tracing: { enabled: true },
      flushInterval: 50,
    }),
    // The import-time check imports the built module in a child process.
    importFrom: new URL("../dist/index.js", import.meta.url),
    timeoutMs: 5000,
    watchMs: 1500,
  });
  expect(report.plugin).toBe("posthog");
  expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  expect(report.checks.filter((c) => c.note)).toEqual([]);
  expect(report.requestsReceived).toBeGreaterThan(0);
}, 60_000);
