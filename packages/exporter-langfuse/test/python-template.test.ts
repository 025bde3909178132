import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { loadTelemetry } from "@pipelex/telemetry-core";
import { runSampleWorkflow } from "@pipelex/telemetry-core/testing";
import { type AppProject, createAppProject, startLangfuseReceiver } from "@pipelex/test-receivers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

/**
 * The Python implementation's telemetry.toml (core's fixture, an unchanged copy) with
 * `[langfuse] enabled = true` and its keys left commented out, as shipped: the keys come from
 * LANGFUSE_* alone, as they do for the Langfuse SDK. This package is resolved from the
 * project's node_modules, as an app would (needs `pnpm build`).
 */
const PACKAGE_DIR = resolve(import.meta.dirname, "..");
const PYTHON_TEMPLATE = join(PACKAGE_DIR, "../core/test/fixtures/python-kit/telemetry.toml");
const PUBLIC_KEY = "pk-lf-python-template-0001";
const SECRET_KEY = "sk-lf-python-template-secret-0001";

let app: AppProject;
beforeEach(async () => {
  app = await createAppProject({ "@pipelex/telemetry-exporter-langfuse": PACKAGE_DIR });
});
afterEach(async () => {
  await app.cleanup();
});

describe("the Python template with [langfuse] enabled = true and only LANGFUSE_* set", () => {
  it("turns Langfuse on and delivers there", async () => {
    const text = await readFile(PYTHON_TEMPLATE, "utf8");
    const on = text.replace(/^(\[langfuse\]\nenabled = )false/m, "$1true");
    expect(on).not.toBe(text);
    expect(on).toMatch(/^# public_key = /m);
    await app.writeProject("telemetry.toml", on);

    const receiver = await startLangfuseReceiver({ publicKey: PUBLIC_KEY, secretKey: SECRET_KEY });
    try {
      const telemetry = await loadTelemetry({
        cwd: app.project,
        homeDir: app.home,
        mode: "cli",
        logLevel: "silent",
        env: {
          LANGFUSE_BASE_URL: receiver.url,
          LANGFUSE_PUBLIC_KEY: PUBLIC_KEY,
          LANGFUSE_SECRET_KEY: SECRET_KEY,
        },
      });
      expect(telemetry.destinations).toEqual(["langfuse"]);
      await runSampleWorkflow(telemetry);
      await telemetry.shutdown({ timeoutMs: 2000 });
      expect(receiver.acceptedSpans().length).toBe(3);
    } finally {
      await receiver.close();
    }
  });
});
