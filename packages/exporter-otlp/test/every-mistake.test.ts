import { resolve } from "node:path";
import { loadTelemetry, resolveTelemetryConfig, TelemetryConfigError } from "@pipelex/telemetry-core";
import { type AppProject, createAppProject } from "@pipelex/test-receivers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

/**
 * Five different mistakes in two files come back as one TelemetryConfigError listing all five,
 * each with its file, line or key as written, and what to do. This plugin is needed for the
 * endpoint check, and is resolved from the project's node_modules as an app would (needs `pnpm build`).
 */
const PACKAGE_DIR = resolve(import.meta.dirname, "..");
const TOKEN = "otlp-token-never-in-an-error-0001";

let app: AppProject;
beforeEach(async () => {
  app = await createAppProject({ "@pipelex/telemetry-exporter-otlp": PACKAGE_DIR });
});
afterEach(async () => {
  await app.cleanup();
});

const HOME_OVERRIDE = `[langfuse]
environment = "staging
`;

const PROJECT = `[langfuze]
enabled = true

[telemetry_allowed_modes]
ci = "no"

[[otlp]]
name = "collector"
endpoint = "collector.example.com/v1/traces"
headers = { Authorization = "Bearer $OTLP_TOKEN" }
`;

describe("a configuration with five different mistakes", () => {
  it("yields one error listing all five, said plainly", async () => {
    const homeOverride = await app.writeHome("telemetry_override.toml", HOME_OVERRIDE);
    const projectFile = await app.writeProject("telemetry.toml", PROJECT);
    const options = {
      cwd: app.project,
      homeDir: app.home,
      env: { OTLP_TOKEN: TOKEN },
      mode: "cli",
      logLevel: "silent" as const,
    };

    const error = await loadTelemetry(options).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TelemetryConfigError);
    const { problems, message } = error as TelemetryConfigError;
    expect(problems).toHaveLength(5);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: homeOverride,
          line: 2,
          message: expect.stringContaining("a string is not closed"),
        }),
        expect.objectContaining({
          file: projectFile,
          keyPath: "langfuze",
          message: expect.stringContaining('did you mean "langfuse"?'),
        }),
        expect.objectContaining({ file: projectFile, keyPath: "telemetry_allowed_modes.ci" }),
        expect.objectContaining({
          file: projectFile,
          keyPath: "otlp[0].endpoint",
          message: expect.stringContaining("add https://"),
        }),
        expect.objectContaining({
          file: projectFile,
          keyPath: "otlp[0].headers.Authorization",
          message: expect.stringContaining('"$OTLP_TOKEN"'),
        }),
      ]),
    );
    expect(message).toMatch(/^The telemetry configuration has 5 problems:/);
    // Said once: no "expected boolean ... (expected boolean)".
    expect(message).not.toMatch(/expected (\w+)[^\n]*\(expected \1\)/);
    expect(message).not.toContain(TOKEN);

    // status sees the same configuration the same way.
    await expect(resolveTelemetryConfig(options)).rejects.toMatchObject({ problems: expect.any(Array) });
  });
});
