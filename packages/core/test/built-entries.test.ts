import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

// Checks the published builds, not the sources: `pnpm test` builds before testing.
const require = createRequire(import.meta.url);

describe("the built entry points share one copy of core", () => {
  it("CJS: errors thrown through /plugin are instanceof the root's classes", () => {
    const root = require("@pipelex/telemetry-core");
    const plugin = require("@pipelex/telemetry-core/plugin");
    const testing = require("@pipelex/telemetry-core/testing");
    expect(plugin.TelemetryConfigError).toBe(root.TelemetryConfigError);
    expect(typeof testing.runExporterConformance).toBe("function");
    let thrown: unknown;
    try {
      plugin.validateEndpoint("http://example.com/v1/traces");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(root.InvalidEndpointError);
    expect(thrown).toBeInstanceOf(root.TelemetryConfigError);
  });

  it("ESM: the same holds for import", async () => {
    const root = await import("@pipelex/telemetry-core");
    const plugin = await import("@pipelex/telemetry-core/plugin");
    expect(plugin.TelemetryConfigError).toBe(root.TelemetryConfigError);
    expect(plugin.ATTR).toBe(root.ATTR);
  });
});
