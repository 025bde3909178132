import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  GatewayDoNotTrackConflictError,
  PluginApiVersionError,
  PluginInvalidError,
  PluginNotFoundError,
  TelemetryConfigError,
} from "../errors.js";
import { defineDestination } from "../plugin/destination-spec.js";
import { inMemoryDestination, RecordingExporter } from "../testing/in-memory.js";
import { runSampleWorkflow } from "../testing/sample-workflow.js";
import { loadTelemetry } from "./load-telemetry.js";
import {
  API_V1_MODULE,
  API_V3_MODULE,
  CORE_DIST,
  createWorkspace,
  NOT_A_PLUGIN_MODULE,
  pythonTemplate,
  readSink,
  recordingPluginSource,
  THROWING_MODULE,
  type Workspace,
} from "./workspace.test-helper.js";

let ws: Workspace;
let sinkKey: string;
beforeAll(() => {
  if (!existsSync(join(CORE_DIST, "plugin.js"))) {
    throw new Error(
      "fake plugins import the built core: run `pnpm --filter @pipelex/telemetry-core build` first",
    );
  }
});
beforeEach(async () => {
  ws = await createWorkspace();
  sinkKey = ws.root;
});
afterEach(async () => {
  await ws.cleanup();
});

// Our own suite runs under vitest, where the detected mode is "test" (off): pass one explicitly.
const load = (env: Record<string, string> = {}, extra: Parameters<typeof loadTelemetry>[0] = {}) =>
  loadTelemetry({ cwd: ws.project, homeDir: ws.home, env, mode: "cli", logLevel: "silent", ...extra });

const firstParty = (pkg: "otlp" | "posthog" | "langfuse") =>
  ws.addPackage(`@pipelex/telemetry-exporter-${pkg}`, {
    "index.mjs": recordingPluginSource({
      sinkKey: `${sinkKey}:${pkg}`,
      name: pkg,
      strict: true,
      requireApiKey: pkg !== "otlp",
    }),
  });

describe("loadTelemetry builds what createTelemetry builds", () => {
  it("maps each [[otlp]] entry to the otlp package resolved from cwd, with camelCase options", async () => {
    await firstParty("otlp");
    await ws.writeProject(
      "telemetry.toml",
      `[[otlp]]\nname = "collector"\nendpoint = "http://localhost:4318/v1/traces"\ntimeout_ms = 1500\nheaders = { Authorization = "Bearer \${env:OTLP_TOKEN}" }\n[[otlp]]\nname = "second"\n`,
    );
    const telemetry = await load({ OTLP_TOKEN: "tok" });
    expect(telemetry.enabled).toBe(true);
    expect(telemetry.destinations).toEqual(["collector", "second"]);
    await runSampleWorkflow(telemetry);
    await telemetry.shutdown();
    const sink = readSink(`${sinkKey}:otlp`);
    // The fake plugin's own defaults (mode, tracing) come on top of what the file sets.
    expect(sink.created).toMatchObject([
      {
        name: "collector",
        endpoint: "http://localhost:4318/v1/traces",
        timeoutMs: 1500,
        headers: { Authorization: "Bearer tok" },
      },
      { name: "second" },
    ]);
    // Both destinations exported the sample workflow's three spans.
    expect(sink.spans).toHaveLength(6);
  });

  it("maps [custom_posthog] and [langfuse] to their packages when on, handing over camelCase options", async () => {
    await firstParty("posthog");
    await firstParty("langfuse");
    await ws.writeProject(
      "telemetry.toml",
      `[custom_posthog]\nmode = "identified"\nuser_id = "u-1"\napi_key = "\${POSTHOG_API_KEY}"\nendpoint = "https://eu.i.posthog.com"\n[custom_posthog.tracing]\nenabled = true\n[custom_posthog.tracing.capture]\ncontent_max_length = 20\n[langfuse]\nenabled = true\napi_key = "\${LANGFUSE_SECRET_KEY}"\n`,
    );
    const telemetry = await load({ POSTHOG_API_KEY: "phc_abcdefghijklmnop", LANGFUSE_SECRET_KEY: "sk-lf-2" });
    expect(telemetry.destinations).toEqual(["posthog", "langfuse"]);
    await telemetry.shutdown();
    expect(readSink(`${sinkKey}:posthog`).created[0]).toMatchObject({
      mode: "identified",
      userId: "u-1",
      apiKey: "phc_abcdefghijklmnop",
      tracing: { enabled: true, capture: { contentMaxLength: 20, content: false } },
    });
    expect(readSink(`${sinkKey}:langfuse`).created[0]).toMatchObject({ apiKey: "sk-lf-2" });
  });

  it('core decides only the section\'s on/off key: mode = "off" and enabled = false import nothing', async () => {
    await ws.addPackage("@pipelex/telemetry-exporter-posthog", { "index.mjs": THROWING_MODULE });
    await ws.addPackage("@pipelex/telemetry-exporter-langfuse", { "index.mjs": THROWING_MODULE });
    await ws.writeProject(
      "telemetry.toml",
      `[custom_posthog]\nmode = "off"\nanything = "the plugin would refuse this, but it is off"\n[langfuse]\nenabled = false\n`,
    );
    const telemetry = await load();
    expect(telemetry.enabled).toBe(false);
  });

  it("loads a third-party plugin by package name with its options in camelCase, as app code passes them", async () => {
    await ws.addPackage("pipelex-telemetry-exporter-fake", {
      "index.mjs": recordingPluginSource({ sinkKey: `${sinkKey}:fake`, name: "fake" }),
    });
    await ws.writeProject(
      "telemetry.toml",
      `[[exporters]]\npackage = "pipelex-telemetry-exporter-fake"\noptions = { region = "\${REGION}", batch_size = 5, retry = { max_attempts = 2 } }\n`,
    );
    const telemetry = await load({ REGION: "eu" });
    expect(telemetry.destinations).toEqual(["fake"]);
    await telemetry.shutdown();
    expect(readSink(`${sinkKey}:fake`).created).toEqual([
      { region: "eu", batchSize: 5, retry: { maxAttempts: 2 } },
    ]);
  });

  it("a third-party plugin's errors name the key as written under exporters[n].options", async () => {
    await ws.addPackage("pipelex-telemetry-exporter-strict", {
      "index.mjs": recordingPluginSource({ sinkKey: `${sinkKey}:strict`, name: "strict", strict: true }),
    });
    const file = await ws.writeProject(
      "telemetry.toml",
      `[[exporters]]\npackage = "pipelex-telemetry-exporter-strict"\noptions = { api_key = "\${NOT_SET_TOKEN}", timeout_ms = "soon", colour = "red", tracing = { capture = { content_max_length = 0 } } }\n`,
    );
    const error = (await load().catch((e: unknown) => e)) as TelemetryConfigError;
    expect(error).toBeInstanceOf(TelemetryConfigError);
    expect(error.problems.map((p) => p.keyPath).sort()).toEqual([
      "exporters[0].options.colour",
      "exporters[0].options.timeout_ms",
      "exporters[0].options.tracing.capture.content_max_length",
    ]);
    expect(error.problems.every((p) => p.file === file)).toBe(true);
  });

  it("resolves an ESM-only package through its exports map", async () => {
    await ws.addPackage(
      "esm-only-exporter",
      { "dist/entry.mjs": recordingPluginSource({ sinkKey: `${sinkKey}:esm`, name: "esm" }) },
      { main: undefined, exports: { ".": { types: "./x.d.ts", import: "./dist/entry.mjs" } } },
    );
    await ws.writeProject("telemetry.toml", `[[exporters]]\npackage = "esm-only-exporter"\n`);
    const telemetry = await load();
    expect(telemetry.destinations).toEqual(["esm"]);
    await telemetry.shutdown();
  });

  it("an invalid option value in an [[otlp]] entry points into the file", async () => {
    await firstParty("otlp");
    await ws.writeProject("telemetry.toml", `[[otlp]]\nname = "c"\nprotocol = "grpc"\n`);
    const error = await load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TelemetryConfigError);
    expect((error as TelemetryConfigError).keyPath).toBe("otlp[0].protocol");
  });
});

describe("discovery errors", () => {
  it("a plugin that is not installed: PluginNotFoundError with the install command of the app's package manager", async () => {
    await ws.writeProject(
      "telemetry.toml",
      `[[exporters]]\npackage = "pipelex-telemetry-exporter-missing"\n`,
    );
    const yarnUser = await load({ npm_config_user_agent: "yarn/4.5.0 npm/? node/v20.20.0 linux x64" }).catch(
      (e: unknown) => e,
    );
    expect(yarnUser).toBeInstanceOf(PluginNotFoundError);
    expect((yarnUser as PluginNotFoundError).installCommand).toBe(
      "yarn add pipelex-telemetry-exporter-missing",
    );
    // The lockfile next to the app wins over whatever runs it.
    await writeFile(join(ws.project, "pnpm-lock.yaml"), "lockfileVersion: '9.0'\n");
    const error = await load({ npm_config_user_agent: "npm/10.8.2 node/v20.20.0" }).catch((e: unknown) => e);
    expect((error as PluginNotFoundError).installCommand).toBe("pnpm add pipelex-telemetry-exporter-missing");
    expect((error as Error).message).toContain("pnpm add pipelex-telemetry-exporter-missing");
  });

  it("a first-party package that is not installed names its package", async () => {
    await ws.writeProject("telemetry.toml", `[[otlp]]\nname = "c"\n`);
    const error = await load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginNotFoundError);
    // No lockfile and no npm_config_user_agent: npm, which every Node install has.
    expect((error as Error).message).toContain("npm install @pipelex/telemetry-exporter-otlp");
  });

  it("a plugin from a newer API: PluginApiVersionError naming both versions and the upgrade", async () => {
    await ws.addPackage("exporter-v3", { "index.mjs": API_V3_MODULE });
    await ws.writeProject("telemetry.toml", `[[exporters]]\npackage = "exporter-v3"\n`);
    const error = await load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginApiVersionError);
    expect(error).toMatchObject({
      packageName: "exporter-v3",
      pluginApiVersion: 3,
      supportedApiVersions: [2],
    });
    expect((error as Error).message).toContain("Upgrade @pipelex/telemetry-core");
  });

  it("a v1 plugin: PluginApiVersionError naming both versions and what to change", async () => {
    await ws.addPackage("exporter-v1", { "index.mjs": API_V1_MODULE });
    await ws.writeProject("telemetry.toml", `[[exporters]]\npackage = "exporter-v1"\n`);
    const error = await load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginApiVersionError);
    expect(error).toMatchObject({ packageName: "exporter-v1", pluginApiVersion: 1 });
    const message = (error as Error).message;
    expect(message).toContain("apiVersion 1");
    expect(message).toContain("plugin API 2");
    expect(message).toMatch(
      /set apiVersion: 2.*camelCase.*secrets\(\), defaultRedaction\(\) and describe\(\)/,
    );
  });

  it("a module that does not default-export a defineExporter result names the package", async () => {
    await ws.addPackage("not-a-plugin", { "index.mjs": NOT_A_PLUGIN_MODULE });
    await ws.writeProject("telemetry.toml", `[[exporters]]\npackage = "not-a-plugin"\n`);
    const error = await load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginInvalidError);
    expect((error as Error).message).toContain('"not-a-plugin"');
    expect((error as Error).message).toContain("defineExporter");
  });

  it("a module that throws on import names the package", async () => {
    await ws.addPackage("throws-on-import", { "index.mjs": THROWING_MODULE });
    await ws.writeProject("telemetry.toml", `[[exporters]]\npackage = "throws-on-import"\n`);
    const error = await load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginInvalidError);
    expect((error as Error).message).toContain('"throws-on-import"');
  });
});

describe("a package is imported only when its section turns it on", () => {
  beforeEach(async () => {
    // Every package here throws when imported: loading succeeds only if none is imported.
    await ws.addPackage("@pipelex/telemetry-exporter-posthog", { "index.mjs": THROWING_MODULE });
    await ws.addPackage("@pipelex/telemetry-exporter-langfuse", { "index.mjs": THROWING_MODULE });
    await ws.addPackage("throws-on-import", { "index.mjs": THROWING_MODULE });
  });

  it("off sections import nothing", async () => {
    await ws.writeProject(
      "telemetry.toml",
      `[custom_posthog]\nmode = "off"\napi_key = "phc_x"\n[custom_posthog.tracing]\nenabled = true\n[langfuse]\nenabled = false\n[[exporters]]\npackage = "throws-on-import"\nenabled = false\n`,
    );
    const telemetry = await load();
    expect(telemetry.enabled).toBe(false);
    expect(telemetry.disabledReason).toBe("no stream is on in telemetry.toml");
  });

  it("a file written by the Python implementation's init loads and turns nothing on", async () => {
    await ws.writeHome("telemetry.toml", await pythonTemplate());
    await ws.writeProject("telemetry.toml", await pythonTemplate());
    const telemetry = await load();
    expect(telemetry.enabled).toBe(false);
    expect(telemetry.disabledReason).toBe("no stream is on in telemetry.toml");
  });

  it("with DO_NOT_TRACK set no plugin module is read, though the config turns it on", async () => {
    await ws.writeProject("telemetry.toml", `[[exporters]]\npackage = "throws-on-import"\n`);
    // Without the kill switch the same config imports the module (and fails): the test can fail.
    await expect(load()).rejects.toBeInstanceOf(PluginInvalidError);
    const telemetry = await load({ DO_NOT_TRACK: "1" });
    expect(telemetry.enabled).toBe(false);
    expect(telemetry.disabledReason).toBe("DO_NOT_TRACK is set");
  });

  it("with DO_NOT_TRACK a mandatory code destination still conflicts", async () => {
    await ws.writeProject("telemetry.toml", `[[exporters]]\npackage = "throws-on-import"\n`);
    const gateway = defineDestination({
      name: "gateway",
      mandatory: true,
      redact: [],
      createExporter: () => new RecordingExporter(),
    });
    await expect(load({ DO_NOT_TRACK: "true" }, { destinations: [gateway] })).rejects.toBeInstanceOf(
      GatewayDoNotTrackConflictError,
    );
  });

  it("a mode that is not allowed imports nothing and says why", async () => {
    await ws.writeProject("telemetry.toml", `[[exporters]]\npackage = "throws-on-import"\n`);
    const telemetry = await loadTelemetry({ cwd: ws.project, homeDir: ws.home, env: { CI: "true" } });
    expect(telemetry.enabled).toBe(false);
    expect(telemetry.disabledReason).toContain('mode "ci"');
    // Under vitest with no explicit mode, the detected mode is "pytest" (the test mode): silent too.
    const underVitest = await loadTelemetry({ cwd: ws.project, homeDir: ws.home });
    expect(underVitest.disabledReason).toContain('mode "pytest"');
  });
});

describe("code destinations", () => {
  it("are appended and still run when the config's mode is not allowed (a gateway must work in CI)", async () => {
    await ws.writeProject("telemetry.toml", `[[otlp]]\nname = "c"\n`);
    const memory = inMemoryDestination("extra");
    const telemetry = await load({ CI: "1" }, { mode: undefined, destinations: [memory.destination] });
    expect(telemetry.destinations).toEqual(["extra"]);
    await runSampleWorkflow(telemetry);
    await telemetry.shutdown();
    expect(memory.spans()).toHaveLength(3);
  });

  it("waits for every destination to be ready, and fails when one cannot start", async () => {
    let ready = false;
    const slow = defineDestination({
      name: "slow",
      redact: [],
      createExporter: () => new RecordingExporter(),
      ready: () =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            ready = true;
            resolve();
          }, 30),
        ),
    });
    const telemetry = await load({}, { destinations: [slow] });
    expect(ready).toBe(true);
    await telemetry.shutdown();

    const broken = defineDestination({
      name: "broken",
      redact: [],
      createExporter: () => new RecordingExporter(),
      ready: () => Promise.reject(new Error("remote config unavailable")),
    });
    await expect(load({}, { destinations: [broken] })).rejects.toThrow("remote config unavailable");
  });
});
