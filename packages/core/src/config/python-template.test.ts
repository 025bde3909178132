import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadTelemetry } from "./load-telemetry.js";
import { resolveTelemetryConfig } from "./resolve-config.js";
import { createWorkspace, pythonTemplate, THROWING_MODULE, type Workspace } from "./workspace.test-helper.js";

let ws: Workspace;
beforeEach(async () => {
  ws = await createWorkspace();
  // Were a plugin imported, loading would fail: every stream must stay off without importing one.
  for (const pkg of ["posthog", "langfuse", "otlp"]) {
    await ws.addPackage(`@pipelex/telemetry-exporter-${pkg}`, { "index.mjs": THROWING_MODULE });
  }
});
afterEach(async () => {
  await ws.cleanup();
});

describe("the Python implementation's telemetry.toml", () => {
  it.each(["home", "project", "both"] as const)(
    "loads unchanged (%s) with every stream off",
    async (where) => {
      const text = await pythonTemplate();
      if (where !== "project") await ws.writeHome("telemetry.toml", text);
      if (where !== "home") await ws.writeProject("telemetry.toml", text);
      // Even with the variables it references set, and in a mode where custom telemetry may run.
      const env = { POSTHOG_API_KEY: "phc_x", POSTHOG_ENDPOINT: "https://eu.i.posthog.com" };
      const config = await resolveTelemetryConfig({ cwd: ws.project, homeDir: ws.home, env, mode: "cli" });
      expect(config.streams.length).toBeGreaterThan(0);
      expect(config.streams.filter((s) => s.on)).toEqual([]);
      const telemetry = await loadTelemetry({ cwd: ws.project, homeDir: ws.home, env, mode: "cli" });
      expect(telemetry.enabled).toBe(false);
      expect(telemetry.disabledReason).toBe("no stream is on in telemetry.toml");
    },
  );
});
