import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidEndpointError, LangfuseCredentialsError, TelemetryConfigError } from "../errors.js";
import { resolveTelemetryConfig } from "./resolve-config.js";
import { createWorkspace, PYTHON_STYLE_TEMPLATE, type Workspace } from "./workspace.test-helper.js";

let ws: Workspace;
beforeEach(async () => {
  ws = await createWorkspace();
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
      `[custom_posthog]\nmode = "anonymous"\napi_key = "phc_home_key_0000000000"\nendpoint = "https://eu.i.posthog.com"\n[custom_posthog.tracing]\nenabled = false\n`,
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
    expect(posthog!.pluginOptions).toEqual({
      mode: "anonymous",
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
    const config = await resolveTelemetryConfig({ cwd: ws.home, homeDir: ws.home, env: {}, mode: "cli" });
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
    expect(config.streams[0]!.pluginOptions).toEqual({
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

describe("schema errors name the file, the key path and what was expected", () => {
  it("an unknown key, blaming the layer that holds it", async () => {
    await ws.writeHome("telemetry.toml", `[custom_posthog]\nmode = "off"\n`);
    const file = await ws.writeProject(
      "telemetry_override.toml",
      `[custom_posthog.tracing]\nenabeld = true\n`,
    );
    const error = await configError();
    expect(error.file).toBe(file);
    expect(error.keyPath).toBe("custom_posthog.tracing");
    expect(error.message).toContain('unknown key "enabeld"');
    expect(error.message).toContain(file);
  });

  it("an unknown key in the home layer names the home file even when the project sets the section", async () => {
    const file = await ws.writeHome("telemetry.toml", `[langfuse]\nenabled = false\ncolour = "red"\n`);
    await ws.writeProject("telemetry.toml", `[langfuse]\nenabled = false\n`);
    const error = await configError();
    expect(error.file).toBe(file);
    expect(error.message).toContain('"colour"');
  });

  it("an unknown section", async () => {
    const file = await ws.writeProject("telemetry.toml", `[posthog]\nmode = "off"\n`);
    const error = await configError();
    expect(error).toMatchObject({ file, keyPath: "posthog" });
    expect(error.message).toContain("custom_posthog");
  });

  it("a camelCase key in the file", async () => {
    await ws.writeProject("telemetry.toml", `[custom_posthog]\napiKey = "x"\n`);
    const error = await configError();
    expect(error.message).toContain('unknown key "apiKey"');
    expect(error.keyPath).toBe("custom_posthog");
  });

  it("a wrong type", async () => {
    const file = await ws.writeProject("telemetry.toml", `[custom_posthog.tracing]\nenabled = "yes"\n`);
    const error = await configError();
    expect(error).toMatchObject({ file, keyPath: "custom_posthog.tracing.enabled", expected: "boolean" });
  });

  it("a value outside an enum", async () => {
    await ws.writeProject("telemetry.toml", `[custom_posthog]\nmode = "loud"\n`);
    const error = await configError();
    expect(error.keyPath).toBe("custom_posthog.mode");
    expect(error.expected).toContain('"anonymous"');
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

  it('mode = "identified" without user_id', async () => {
    await ws.writeProject("telemetry.toml", `[custom_posthog]\nmode = "identified"\n`);
    const error = await configError();
    expect(error.keyPath).toBe("custom_posthog.user_id");
    expect(error.expected).toContain("user_id");
  });

  it("an http:// endpoint on a non-loopback host", async () => {
    const file = await ws.writeProject(
      "telemetry.toml",
      `[[otlp]]\nname = "c"\nendpoint = "http://collector.example.com/v1/traces"\n`,
    );
    const error = await configError();
    expect(error).toBeInstanceOf(InvalidEndpointError);
    expect(error).toMatchObject({ file, keyPath: "otlp[0].endpoint" });
    expect(error.expected).toContain("https://");
  });

  it("accepts http:// on loopback", async () => {
    await ws.writeProject(
      "telemetry.toml",
      `[[otlp]]\nname = "c"\nendpoint = "http://127.0.0.1:4318/v1/traces"\n`,
    );
    expect((await resolve()).streams[0]!.on).toBe(true);
  });

  it("a URL with credentials, without repeating them", async () => {
    await ws.writeProject(
      "telemetry.toml",
      `[langfuse]\nenabled = false\nendpoint = "https://pk:hunter2-very-secret@langfuse.example.com"\n`,
    );
    const error = await configError();
    expect(error).toBeInstanceOf(InvalidEndpointError);
    expect(error.keyPath).toBe("langfuse.endpoint");
    expect(error.message).not.toContain("hunter2-very-secret");
  });

  it("a required secret that is missing", async () => {
    await ws.writeProject(
      "telemetry.toml",
      `[custom_posthog]\nmode = "anonymous"\n[custom_posthog.tracing]\nenabled = true\n`,
    );
    const error = await configError();
    expect(error.keyPath).toBe("custom_posthog.api_key");
    expect(error.message).toContain("POSTHOG_API_KEY");
  });

  it("a required secret still a placeholder names the variable", async () => {
    await ws.writeProject(
      "telemetry.toml",
      `[langfuse]\nenabled = true\npublic_key = "\${LANGFUSE_PUBLIC_KEY}"\nsecret_key = "\${LANGFUSE_SECRET_KEY}"\n`,
    );
    const error = await configError({ LANGFUSE_PUBLIC_KEY: "pk-lf-0000000000000" });
    expect(error).toBeInstanceOf(LangfuseCredentialsError);
    expect(error.keyPath).toBe("langfuse.secret_key");
    expect(error.message).toContain("LANGFUSE_SECRET_KEY");
    expect(error.message).not.toContain("pk-lf-0000000000000");
  });

  it("an unresolved placeholder in a non-secret key of a stream that is on", async () => {
    await ws.writeProject(
      "telemetry.toml",
      `[[otlp]]\nname = "c"\nheaders = { Authorization = "Bearer \${env:OTLP_TOKEN}" }\n`,
    );
    const error = await configError();
    expect(error.keyPath).toBe("otlp[0].headers.Authorization");
    expect(error.message).toContain("OTLP_TOKEN");
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

describe("no secret value in any error message", () => {
  const SECRET = "phc_TopSecretValue_9f8e7d6c5b4a";

  it("a secret in one key and a bad key elsewhere", async () => {
    await ws.writeProject(
      "telemetry.toml",
      `[custom_posthog]\nmode = "anonymous"\napi_key = "${SECRET}"\nbogus = "${SECRET}"\n`,
    );
    const error = await configError();
    expect(error.message).toContain("bogus");
    expect(error.message).not.toContain(SECRET);
    expect(JSON.stringify({ ...error })).not.toContain(SECRET);
  });

  it("a secret substituted into a key of the wrong type", async () => {
    await ws.writeProject("telemetry.toml", `[custom_posthog]\ngeoip = "\${POSTHOG_API_KEY}"\n`);
    const error = await configError({ POSTHOG_API_KEY: SECRET });
    expect(error.keyPath).toBe("custom_posthog.geoip");
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
      `[custom_posthog]\nmode = "off"\nendpoint = "\${POSTHOG_ENDPOINT}"\napi_key = "\${POSTHOG_API_KEY}"\n[langfuse]\nenabled = false\npublic_key = "\${LANGFUSE_PUBLIC_KEY}"\n`,
    );
    const config = await resolve();
    expect(config.streams.map((s) => [s.name, s.on, s.offBy])).toEqual([
      ["posthog", false, "config"],
      ["langfuse", false, "config"],
    ]);
  });

  it("loads a file laid out like the Python implementation's init output and turns nothing on", async () => {
    await ws.writeProject("telemetry.toml", PYTHON_STYLE_TEMPLATE);
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
      ["pipelex-telemetry-exporter-example", "plugin", true],
    ]);
    expect(config.streams[2]!.pluginOptions).toEqual({
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

describe("review fixes", () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a ${VAR} placeholder, as written in telemetry.toml
  it("an unset ${LANGFUSE_BASE_URL} endpoint means the default, as the template's comment says", async () => {
    await ws.writeProject(
      "telemetry.toml",
      `[langfuse]\nenabled = true\nendpoint = "\${LANGFUSE_BASE_URL}"\npublic_key = "\${LANGFUSE_PUBLIC_KEY}"\nsecret_key = "\${LANGFUSE_SECRET_KEY}"\n`,
    );
    const config = await resolve({
      LANGFUSE_PUBLIC_KEY: "pk-lf-1234",
      LANGFUSE_SECRET_KEY: "sk-lf-12345678",
    });
    const langfuse = config.streams.find((s) => s.name === "langfuse")!;
    expect(langfuse.on).toBe(true);
    expect(langfuse.sendsTo).toBe("https://cloud.langfuse.com");
    expect(langfuse.pluginOptions.endpoint).toBeUndefined();
  });

  it("status shows endpoints without their query string, which may carry a token", async () => {
    await ws.writeProject(
      "telemetry.toml",
      `[[otlp]]\nname = "c"\nendpoint = "https://collector.example.com/v1/traces?token=very-secret-token-123"\n`,
    );
    const config = await resolve();
    const sendsTo = config.streams.find((s) => s.name === "c")!.sendsTo;
    expect(sendsTo).not.toContain("very-secret-token-123");
    expect(sendsTo).toContain("https://collector.example.com/v1/traces");
  });
});
