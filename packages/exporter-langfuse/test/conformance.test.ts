import { runExporterConformance } from "@pipelex/telemetry-core/testing";
import { describe, expect, it } from "vitest";
import langfusePluginModule from "../src/index.js";

describe("runExporterConformance", () => {
  it("passes every check, pointed at the kit's receiver", async () => {
    const report = await runExporterConformance(langfusePluginModule, {
      options: (receiver) => ({
        enabled: true,
        endpoint: receiver.url,
        publicKey: "pk-lf-1234567890abcdef",
        secretKey: "sk-lf-fedcba0987654321-topsecret",
      }),
      // The import-time check imports the built module in a child process.
      importFrom: new URL("../dist/index.js", import.meta.url),
      timeoutMs: 5000,
      watchMs: 1500,
    });
    expect(report.plugin).toBe("langfuse");
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.checks.filter((c) => c.note)).toEqual([]);
    expect(report.requestsReceived).toBeGreaterThan(0);
  }, 60_000);
});
