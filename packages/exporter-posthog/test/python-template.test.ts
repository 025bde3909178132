import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { loadTelemetry, resolveTelemetryConfig } from "@pipelex/telemetry-core";
import { type AppProject, createAppProject } from "@pipelex/test-receivers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

/**
 * The Python implementation's telemetry.toml (core's fixture, an unchanged copy) turned on the
 * way a Python user turns it on, with only the environment variables it references set. This
 * package is resolved from the project's node_modules, as an app would (needs `pnpm build`).
 */
const PACKAGE_DIR = resolve(import.meta.dirname, "..");
const PYTHON_TEMPLATE = join(PACKAGE_DIR, "../core/test/fixtures/python-kit/telemetry.toml");
const API_KEY = "phc_python_template_key_000000001";

let app: AppProject;
beforeEach(async () => {
  app = await createAppProject({ "@pipelex/telemetry-exporter-posthog": PACKAGE_DIR });
});
afterEach(async () => {
  await app.cleanup();
});

/** The template with `mode = "anonymous"` and `tracing.enabled = true`; nothing else touched. */
async function turnedOn(): Promise<string> {
  const text = await readFile(PYTHON_TEMPLATE, "utf8");
  const on = text
    .replace(/^mode = "off"/m, 'mode = "anonymous"')
    .replace(/^(\[custom_posthog\.tracing\]\nenabled = )false/m, "$1true");
  expect(on.match(/^mode = "anonymous"/gm)).toHaveLength(1);
  expect(on.match(/= true # Send AI spans/g)).toHaveLength(1);
  return on;
}

describe("the Python template, turned on, with only POSTHOG_API_KEY set", () => {
  it("turns PostHog on with the default endpoint (POSTHOG_ENDPOINT unset)", async () => {
    await app.writeProject("telemetry.toml", await turnedOn());
    const options = { cwd: app.project, homeDir: app.home, env: { POSTHOG_API_KEY: API_KEY }, mode: "cli" };
    const config = await resolveTelemetryConfig(options);
    const stream = config.streams.find((s) => s.kind === "posthog");
    expect(stream).toMatchObject({ on: true });
    expect(stream?.description?.sendsTo).toBe("https://us.i.posthog.com");

    const telemetry = await loadTelemetry({ ...options, logLevel: "silent" });
    expect(telemetry.destinations).toEqual(["posthog"]);
    // Nothing was recorded, so nothing is sent to the real PostHog on shutdown.
    await telemetry.shutdown({ timeoutMs: 1000 });
  });
});
