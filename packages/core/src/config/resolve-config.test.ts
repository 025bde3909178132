import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidEndpointError, TelemetryConfigError } from "../errors.js";
import { resolveTelemetryConfig } from "./resolve-config.js";
import {
  createWorkspace,
  givenOptions,
  installFakePlugins,
  pythonTemplate,
  type Workspace,
} from "./workspace.test-helper.js";

// Strict fakes stand in for the first-party plugins: these tests pin core's side (layers,
// on/off rules, key conversion, error paths), each plugin's own rules are tested in its package.
let ws: Workspace;
beforeEach(async () => {
  ws = await createWorkspace();
  await installFakePlugins(ws);
});
afterEach(async () => {
  await ws.cleanup();
});

const resolve = (env: Record<string, string> = {}, mode = "cli") =>
  resolveTelemetryConfig({ cwd: ws.project, homeDir: ws.home, env, mode });

async function configError(env: Record<string, string> = {}, mode = "cli"): Promise<TelemetryConfigError> {
  const error = await resolve(env, mode).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TelemetryConfigError);
  return error as TelemetryConfigError;
}

describe("layers", () => {
  it("deep-merges home, home override, project, project override, later wins", async () => {
    const home = await ws.writeHome(
      "telemetry.toml",
      `[custom_posthog]\nmode = "on"\napi_key = "phc_home_key_0000000000"\nendpoint = "https://eu.i.posthog.com"\n[custom_posthog.tracing]\nenabled = false\n`,
    );
    await ws.writeHome("telemetry_override.toml", `[custom_posthog.tracing]\nenabled = true\n`);
    await ws.writeProject("telemetry.toml", `[custom_posthog]\napi_key = "phc_project_key_000000000"\n`);
    await ws.writeProject(
      "telemetry_override.toml",
      `[custom_posthog.tracing.capture]\ncontent = true\ncontent_max_length = 50\n`,
    );
    const config = await resolve();
    expect(config.layers.map((l) => [l.layer, l.loaded])).toEqual([
      ["home", true],
      ["home override", true],
      ["project", true],
      ["project override", true],
    ]);
    const [posthog] = config.streams;
    expect(posthog).toMatchObject({ name: "posthog", on: true, kind: "posthog" });
    expect(givenOptions(posthog!)).toEqual({
      mode: "on",
      apiKey: "phc_project_key_000000000",
      endpoint: "https://eu.i.posthog.com",
      tracing: { enabled: true, capture: { content: true, contentMaxLength: 50 } },
    });
    // The section's file is the last layer that touched it.
    expect(posthog!.file).toBe(`${ws.project}/.pipelex/telemetry_override.toml`);
    expect(home).toContain(ws.home);
  });

  it("skips the project layer when the project folder is the home folder", async () => {
    await ws.writeHome("telemetry.toml", `[[otlp]]\nname = "a"\n`);
    // Mode "ci" is off: nothing is imported (the fakes live in the project's node_modules).
    const config = await resolveTelemetryConfig({ cwd: ws.home, homeDir: ws.home, env: {}, mode: "ci" });
    expect(config.layers.map((l) => [l.layer, l.loaded, l.skipped === true])).toEqual([
      ["home", true, false],
      ["home override", false, false],
      ["project", false, true],
      ["project override", false, true],
    ]);
    expect(config.streams.map((s) => s.name)).toEqual(["a"]);
  });

  it("replaces arrays of tables whole: a project's [[otlp]] list replaces the home one", async () => {
    await ws.writeHome("telemetry.toml", `[[otlp]]\nname = "home-1"\n[[otlp]]\nname = "home-2"\n`);
    await ws.writeProject("telemetry.toml", `[[otlp]]\nname = "project-only"\n`);
    expect((await resolve()).streams.map((s) => s.name)).toEqual(["project-only"]);
  });

  it("substitutes VAR and env:VAR placeholders in every string, nested maps included", async () => {
    await ws.writeProject(
      "telemetry.toml",
      `[[otlp]]\nname = "\${COLLECTOR_NAME}"\nendpoint = "https://\${env:COLLECTOR_HOST}/v1/traces"\nheaders = { Authorization = "Bearer \${env:OTLP_TOKEN}", "x-team" = "\${TEAM}-x" }\ntimeout_ms = 2500\n`,
    );
    const config = await resolve({
      COLLECTOR_NAME: "c1",
      COLLECTOR_HOST: "otel.example.com",
      OTLP_TOKEN: "tok123",
      TEAM: "ai",
    });
    expect(givenOptions(config.streams[0]!)).toMatchObject({
      name: "c1",
      endpoint: "https://otel.example.com/v1/traces",
      headers: { Authorization: "Bearer tok123", "x-team": "ai-x" },
      timeoutMs: 2500,
    });
  });

  it("reports no stream and loads nothing when no file exists", async () => {
    const config = await resolve();
    expect(config.streams).toEqual([]);
    expect(config.layers.every((l) => !l.loaded)).toBe(true);
  });
});

describe("errors name the file, the key path as written and what was expected", () => {
  it("a plugin's unknown key, blaming the layer that holds it", async () => {
    await ws.writeHome("telemetry.toml", `[custom_posthog]\nmode = "on"\napi_key = "phc_x"\n`);
    const file = await ws.writeProject(
      "telemetry_override.toml",
      `[custom_posthog.tracing]\nenabeld = true\n`,
    );
    const error = await configError();
    expect(error.file).toBe(file);
    expect(error.keyPath).toBe("custom_posthog.tracing.enabeld");
    expect(error.message).toContain('unknown key; did you mean "enabled"?');
    expect(error.message).toContain("(expected one of enabled, capture)");
    expect(error.message).toContain(file);
  });

  it("an unknown key in the home layer names the home file even when the project sets the section", async () => {
    const file = await ws.writeHome(
      "telemetry.toml",
      `[langfuse]\nenabled = true\napi_key = "k"\ncolour = "red"\n`,
    );
    await ws.writeProject("telemetry.toml", `[langfuse]\nenabled = true\n`);
    const error = await configError();
    expect(error.file).toBe(file);
    expect(error.keyPath).toBe("langfuse.colour");
  });

  it("an unknown section, listing the valid ones", async () => {
    const file = await ws.writeProject("telemetry.toml", `[posthog]\nmode = "off"\n`);
    const error = await configError();
    expect(error).toMatchObject({ file, keyPath: "posthog" });
    expect(error.message).toContain('unknown section; did you mean "custom_posthog"?');
    expect(error.message).toContain("custom_posthog");
  });

  it("a camelCase key in the file, with the snake_case spelling to use", async () => {
    await ws.writeProject("telemetry.toml", `[custom_posthog]\nmode = "on"\napiKey = "x"\n`);
    const error = await configError();
    expect(error.keyPath).toBe("custom_posthog.apiKey");
    expect(error.expected).toContain("api_key");
  });

  it("a wrong type deep in a section, as the file spells it", async () => {
    const file = await ws.writeProject(
      "telemetry.toml",
      `[custom_posthog]\nmode = "on"\napi_key = "k"\n[custom_posthog.tracing.capture]\ncontent_max_length = "long"\n`,
    );
    const error = await configError();
    expect(error).toMatchObject({ file, keyPath: "custom_posthog.tracing.capture.content_max_length" });
  });

  it("the on/off key itself has the wrong type: core says so without importing anything", async () => {
    await ws.addPackage("@pipelex/telemetry-exporter-langfuse", {
      "index.mjs": `throw new Error("must not be imported");\n`,
    });
    await ws.writeProject("telemetry.toml", `[langfuse]\nenabled = "yes"\n`);
    const error = await configError();
    expect(error.keyPath).toBe("langfuse.enabled");
  });

  it("[[otlp]] written as a table", async () => {
    await ws.writeProject("telemetry.toml", `[otlp]\nname = "x"\n`);
    expect((await configError()).message).toContain("[[otlp]]");
  });

  it("a wrong type in a [[otlp]] entry points at the entry", async () => {
    await ws.writeProject(
      "telemetry.toml",
      `[[otlp]]\nname = "a"\n[[otlp]]\nname = "b"\ntimeout_ms = "soon"\n`,
    );
    expect((await configError()).keyPath).toBe("otlp[1].timeout_ms");
  });

  it("a rule between keys, reported by the plugin at a key the file does not have", async () => {
    await ws.writeProject("telemetry.toml", `[custom_posthog]\nmode = "identified"\napi_key = "k"\n`);
    const error = await configError();
    expect(error.keyPath).toBe("custom_posthog.user_id");
  });

  it("an endpoint error keeps its class (InvalidEndpointError)", async () => {
    const file = await ws.writeProject(
      "telemetry.toml",
      `[[otlp]]\nname = "c"\nendpoint = "http://collector.example.com/v1/traces"\n`,
    );
    const error = await configError();
    expect(error).toBeInstanceOf(InvalidEndpointError);
    expect(error).toMatchObject({ file, keyPath: "otlp[0].endpoint" });
    expect(error.expected).toContain("https://");
  });

  it("a required secret set to an unset placeholder: the plugin's error says which variable to set", async () => {
    await ws.writeProject(
      "telemetry.toml",
      `[custom_posthog]\nmode = "on"\napi_key = "\${POSTHOG_API_KEY}"\n`,
    );
    const error = await configError();
    expect(error.keyPath).toBe("custom_posthog.api_key");
    expect(error.message).toContain("POSTHOG_API_KEY is not set");
  });

  it("a value that is exactly an unset placeholder reaches the plugin as absent, so its default applies", async () => {
    await ws.writeProject(
      "telemetry.toml",
      `[custom_posthog]\nmode = "on"\napi_key = "k"\nendpoint = "\${POSTHOG_ENDPOINT}"\n`,
    );
    const [posthog] = (await resolve()).streams;
    expect(posthog!.on).toBe(true);
    expect(givenOptions(posthog!)).not.toHaveProperty("endpoint");
  });

  it("an unresolved placeholder inside a longer value of a stream that is on", async () => {
    await ws.writeProject(
      "telemetry.toml",
      `[[otlp]]\nname = "c"\nheaders = { Authorization = "Bearer \${env:OTLP_TOKEN}" }\n`,
    );
    const error = await configError();
    expect(error.keyPath).toBe("otlp[0].headers.Authorization");
    expect(error.message).toContain("OTLP_TOKEN");
  });

  it("free-form keys (header names) are handed over as written", async () => {
    await ws.writeProject(
      "telemetry.toml",
      `[[otlp]]\nname = "c"\nheaders = { "X_Team_Id" = "ai", x_trace = "1" }\n`,
    );
    expect(givenOptions((await resolve()).streams[0]!)).toMatchObject({
      headers: { X_Team_Id: "ai", x_trace: "1" },
    });
  });

  it("every problem of every section and file at once, in one TelemetryConfigError", async () => {
    const home = await ws.writeHome("telemetry.toml", `[langfuse]\nenabled = true\ncolour = "red"\n`);
    const project = await ws.writeProject(
      "telemetry.toml",
      `[custom_posthog]\nmode = "identified"\napi_key = "k"\n[custom_posthog.tracing]\nenabled = "yes"\n[[otlp]]\nname = "c"\ntimeout_ms = -1\n[bogus]\nx = 1\n`,
    );
    const error = await configError();
    const seen = error.problems.map((p) => [p.file, p.keyPath]);
    expect(seen).toEqual(
      expect.arrayContaining([
        [project, "bogus"],
        [project, "custom_posthog.tracing.enabled"],
        [project, "otlp[0].timeout_ms"],
        [home, "langfuse.colour"],
      ]),
    );
    expect(error.message).toContain(home);
    expect(error.message).toContain(project);
  });

  it("a TOML syntax error names line and column", async () => {
    const file = await ws.writeProject(
      "telemetry.toml",
      `[langfuse]\nenabled = false\nendpoint = "https://x\n`,
    );
    const error = await configError();
    expect(error.file).toBe(file);
    expect(error.line).toBe(3);
    expect(typeof error.column).toBe("number");
    expect(error.message).toMatch(/line 3, column \d+/);
  });
});

describe("[meta] and [pipelex_gateway], as the Python file has them", () => {
  it("accepts [meta] schema_version and shows it; other [meta] keys are errors", async () => {
    await ws.writeProject("telemetry.toml", `[meta]\nschema_version = 1\n`);
    expect((await resolve()).schemaVersion).toBe(1);
    await ws.writeProject("telemetry.toml", `[meta]\nschema_version = 1\nversion = 2\n`);
    expect((await configError()).keyPath).toBe("meta.version");
  });

  it("accepts [pipelex_gateway] with its posthog and portkey tables, and turns nothing on", async () => {
    await ws.writeProject(
      "telemetry.toml",
      `[pipelex_gateway.posthog]\nmode = "identified"\n[pipelex_gateway.portkey]\nforce_debug_enabled = true\n`,
    );
    const config = await resolve();
    expect(config.hasPipelexGateway).toBe(true);
    expect(config.streams).toEqual([]);
    await ws.writeProject("telemetry.toml", `[pipelex_gateway]\nlangfuse = {}\n`);
    expect((await configError()).keyPath).toBe("pipelex_gateway.langfuse");
  });
});

describe("no secret value in any error message", () => {
  const SECRET = "phc_TopSecretValue_9f8e7d6c5b4a";

  it("a secret in one key and a bad key elsewhere", async () => {
    await ws.writeProject(
      "telemetry.toml",
      `[custom_posthog]\nmode = "on"\napi_key = "${SECRET}"\nbogus = "${SECRET}"\n`,
    );
    const error = await configError();
    expect(error.message).toContain("bogus");
    expect(error.message).not.toContain(SECRET);
    expect(JSON.stringify({ ...error })).not.toContain(SECRET);
  });

  it("a secret substituted into a key of the wrong type", async () => {
    await ws.writeProject(
      "telemetry.toml",
      `[custom_posthog]\nmode = "on"\napi_key = "k"\ntimeout_ms = "\${POSTHOG_API_KEY}"\n`,
    );
    const error = await configError({ POSTHOG_API_KEY: SECRET });
    expect(error.keyPath).toBe("custom_posthog.timeout_ms");
    expect(error.message).not.toContain(SECRET);
  });

  it("a secret as an invalid enum value", async () => {
    await ws.writeProject("telemetry.toml", `[custom_posthog]\nmode = "${SECRET}"\n`);
    expect((await configError()).message).not.toContain(SECRET);
  });

  it("a TOML syntax error on the line that holds the secret", async () => {
    await ws.writeProject("telemetry.toml", `[custom_posthog]\napi_key = "${SECRET}\n`);
    const error = await configError();
    expect(error.message).not.toContain(SECRET);
    expect(error.cause).toBeUndefined();
  });

  it("credentials in an endpoint", async () => {
    await ws.writeProject(
      "telemetry.toml",
      `[[otlp]]\nname = "c"\nendpoint = "https://user:${SECRET}@collector.example.com"\n`,
    );
    expect((await configError()).message).not.toContain(SECRET);
  });
});

describe("off sections and the Python template", () => {
  it("a section that is off may keep unresolved placeholders", async () => {
    await ws.writeProject(
      "telemetry.toml",
      `[custom_posthog]\nmode = "off"\nendpoint = "\${POSTHOG_ENDPOINT}"\napi_key = "\${POSTHOG_API_KEY}"\nheaders = { a = "x \${UNSET}" }\n[langfuse]\nenabled = false\npublic_key = "\${LANGFUSE_PUBLIC_KEY}"\n`,
    );
    const config = await resolve();
    expect(config.streams.map((s) => [s.name, s.on, s.offBy])).toEqual([
      ["posthog", false, "config"],
      ["langfuse", false, "config"],
    ]);
  });

  it("loads a file laid out like the Python implementation's init output and turns nothing on", async () => {
    await ws.writeProject("telemetry.toml", await pythonTemplate());
    const config = await resolve();
    expect(config.streams.every((s) => !s.on)).toBe(true);
    expect(config.streams.map((s) => s.name)).toEqual(["posthog", "langfuse"]);
  });
});

describe("the DESIGN.md example file", () => {
  it("parses with every section, and reports each stream", async () => {
    await ws.writeProject("telemetry.toml", DESIGN_EXAMPLE);
    const config = await resolve({ OTLP_TOKEN: "t0k3n" });
    expect(config.streams.map((s) => [s.name, s.kind, s.on])).toEqual([
      ["posthog", "posthog", false],
      ["langfuse", "langfuse", false],
      ["collector", "otlp", true],
      // The plugin names its destination (as stats() does), not the package.
      ["example", "plugin", true],
    ]);
    expect(givenOptions(config.streams[2]!)).toMatchObject({
      name: "collector",
      endpoint: "http://localhost:4318/v1/traces",
      headers: { Authorization: "Bearer t0k3n" },
    });
  });
});

describe("runtime modes", () => {
  beforeEach(async () => {
    await ws.writeProject(
      "telemetry.toml",
      `[[otlp]]\nname = "c"\nheaders = { Authorization = "Bearer \${OTLP_TOKEN}" }\n`,
    );
  });
  const detect = (env: Record<string, string>) =>
    resolveTelemetryConfig({ cwd: ws.project, homeDir: ws.home, env });

  it("detects pytest (Python's test mode) from the test runner's environment and keeps streams off (no secret needed)", async () => {
    const envs: Record<string, string>[] = [
      { VITEST: "true" },
      { JEST_WORKER_ID: "1" },
      { NODE_TEST_CONTEXT: "child" },
      { NODE_ENV: "test" },
    ];
    for (const env of envs) {
      const config = await detect(env);
      expect(config.mode).toBe("pytest");
      expect(config.modeAllowed).toBe(false);
      expect(config.streams[0]).toMatchObject({ on: false, offBy: "mode" });
    }
  });

  it("detects ci from a truthy CI and keeps streams off", async () => {
    const config = await detect({ CI: "true" });
    expect(config).toMatchObject({ mode: "ci", modeSource: "CI", modeAllowed: false });
    expect(config.streams[0]!.reason).toContain('mode "ci"');
    expect((await detect({ CI: "false", OTLP_TOKEN: "t" })).mode).toBe("cli");
  });

  it("defaults to cli, which is allowed", async () => {
    const config = await detect({ OTLP_TOKEN: "t" });
    expect(config).toMatchObject({ mode: "cli", modeSource: "default", modeAllowed: true });
    expect(config.streams[0]!.on).toBe(true);
  });

  it("[telemetry_allowed_modes] turns ci on and cli off", async () => {
    await ws.writeProject("telemetry_override.toml", `[telemetry_allowed_modes]\nci = true\ncli = false\n`);
    expect((await detect({ CI: "1", OTLP_TOKEN: "t" })).streams[0]!.on).toBe(true);
    const cli = await detect({});
    expect(cli.streams[0]).toMatchObject({ on: false, offBy: "mode" });
  });

  it("an explicit mode wins over detection", async () => {
    const config = await resolveTelemetryConfig({
      cwd: ws.project,
      homeDir: ws.home,
      env: { VITEST: "1", OTLP_TOKEN: "t" },
      mode: "fastapi",
    });
    expect(config).toMatchObject({ mode: "fastapi", modeSource: "option", modeAllowed: true });
  });

  it("rejects a non-boolean mode value", async () => {
    await ws.writeProject("telemetry_override.toml", `[telemetry_allowed_modes]\nci = "yes"\n`);
    expect((await configError()).keyPath).toBe("telemetry_allowed_modes.ci");
  });

  it("DO_NOT_TRACK reports every stream off by the kill switch", async () => {
    const config = await detect({ DO_NOT_TRACK: "1" });
    expect(config.doNotTrack).toBe(true);
    expect(config.streams[0]).toMatchObject({ on: false, offBy: "do_not_track" });
  });
});

const DESIGN_EXAMPLE = `[custom_posthog]
mode = "off"
endpoint = "\${POSTHOG_ENDPOINT}"
api_key = "\${POSTHOG_API_KEY}"
geoip = true
debug = false
redact_properties = ["prompt", "system_prompt", "response", "file_path", "url"]
[custom_posthog.tracing]
enabled = false
[custom_posthog.tracing.capture]
content = false
content_max_length = 1000
pipe_codes = false
output_class_names = false

[langfuse]
enabled = false
endpoint = "\${LANGFUSE_BASE_URL}"
public_key = "\${LANGFUSE_PUBLIC_KEY}"
secret_key = "\${LANGFUSE_SECRET_KEY}"

[[otlp]]
name = "collector"
endpoint = "http://localhost:4318/v1/traces"
headers = { Authorization = "Bearer \${env:OTLP_TOKEN}" }

[custom_portkey]
force_debug_enabled = false
force_tracing_enabled = false

[[exporters]]
package = "pipelex-telemetry-exporter-example"
options = { }

[telemetry_allowed_modes]
`;

describe("status is told by the plugin", () => {
  it("the destination name and description come from the plugin, not from core", async () => {
    await ws.writeProject(
      "telemetry.toml",
      `[[otlp]]\nname = "c"\nendpoint = "https://collector.example.com/v1/traces"\n`,
    );
    const [stream] = (await resolve()).streams;
    expect(stream).toMatchObject({
      name: "c",
      description: { sendsTo: "https://collector.example.com/v1/traces", receives: "full data" },
    });
  });

  it("a stream its section turns on but its plugin turns off is off, with the plugin's reason", async () => {
    await ws.writeProject(
      "telemetry.toml",
      `[custom_posthog]\nmode = "on"\napi_key = "k"\n[custom_posthog.tracing]\nenabled = false\n`,
    );
    const [stream] = (await resolve()).streams;
    expect(stream).toMatchObject({ on: false, offBy: "config" });
    expect(stream!.reason).toContain("tracing.enabled = false");
  });
});
