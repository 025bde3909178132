import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "smol-toml";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadTelemetry } from "../config/load-telemetry.js";
import { TELEMETRY_TOML_TEMPLATE } from "../config/template.js";
import {
  CORE_DIST,
  createWorkspace,
  installFakePlugins,
  type Workspace,
} from "../config/workspace.test-helper.js";
import { SAMPLE_CONTENT } from "../testing/sample-workflow.js";

const CLI = join(CORE_DIST, "cli.js");

let ws: Workspace;
beforeAll(() => {
  if (!existsSync(CLI))
    throw new Error("run `pnpm --filter @pipelex/telemetry-core build` before the CLI tests");
});
beforeEach(async () => {
  ws = await createWorkspace();
});
afterEach(async () => {
  await ws.cleanup();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Spawns the built CLI in the temp project with the temp folder as HOME, and an environment
 * without this test runner's variables (which would make the detected mode "test").
 */
function cli(args: string[], env: Record<string, string> = {}, cwd = ws.project): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? "", HOME: ws.home, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const projectFile = () => join(ws.project, ".pipelex", "telemetry.toml");
const homeFile = () => join(ws.home, ".pipelex", "telemetry.toml");

describe("init", () => {
  it("writes ~/.pipelex/telemetry.toml with every stream off, as `pipelex init telemetry` does", async () => {
    const run = await cli(["init"]);
    expect(run.code).toBe(0);
    const text = await readFile(homeFile(), "utf8");
    expect(text).toBe(TELEMETRY_TOML_TEMPLATE);
    expect(existsSync(projectFile())).toBe(false);
    const doc = parse(text) as Record<string, Record<string, unknown>>;
    expect(doc.custom_posthog!.mode).toBe("off");
    expect(doc.langfuse!.enabled).toBe(false);
    expect(text).toMatch(/^# \[\[otlp\]\]/m);

    const status = await cli(["status", "--json"]);
    expect(status.code).toBe(0);
    const view = JSON.parse(status.stdout) as { streams: { on: boolean; offBy: string }[] };
    expect(view.streams.length).toBeGreaterThan(0);
    expect(view.streams.every((s) => !s.on && s.offBy === "config")).toBe(true);
  });

  it("accepts Python's spelling `init telemetry`, and --global / -g as the default's name", async () => {
    expect((await cli(["init", "telemetry"])).code).toBe(0);
    expect(await readFile(homeFile(), "utf8")).toBe(TELEMETRY_TOML_TEMPLATE);
    expect((await cli(["init", "--global", "--force"])).code).toBe(0);
    expect((await cli(["init", "-g", "--force"])).code).toBe(0);
    expect(existsSync(projectFile())).toBe(false);
    const wrong = await cli(["init", "config"]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('unexpected argument "config" (init takes "telemetry", or nothing)');
  });

  it("refuses to overwrite an existing file unless --force", async () => {
    await ws.writeHome("telemetry.toml", "# mine\n");
    const refused = await cli(["init"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("--force");
    expect(await readFile(homeFile(), "utf8")).toBe("# mine\n");

    await ws.writeProject("telemetry.toml", "# project\n");
    expect((await cli(["init", "--local"])).code).toBe(1);
    expect(await readFile(projectFile(), "utf8")).toBe("# project\n");

    const forced = await cli(["init", "--force"]);
    expect(forced.code).toBe(0);
    expect(await readFile(homeFile(), "utf8")).toBe(TELEMETRY_TOML_TEMPLATE);
  });

  it("--local (-l) writes the project root's file, every setting commented out, from a nested folder", async () => {
    await writeFile(join(ws.project, "package.json"), "{}");
    const nested = join(ws.project, "src", "deep");
    await mkdir(nested, { recursive: true });
    const run = await cli(["init", "-l"], {}, nested);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("inherits");
    expect(parse(await readFile(projectFile(), "utf8"))).toEqual({});
    expect(existsSync(join(nested, ".pipelex"))).toBe(false);
    expect(existsSync(homeFile())).toBe(false);
  });

  it("--local and --global together is a usage error", async () => {
    const run = await cli(["init", "--local", "--global"]);
    expect(run.code).toBe(2);
    expect(existsSync(homeFile())).toBe(false);
  });

  it("an unknown flag lists the command's flags, with a did-you-mean", async () => {
    const run = await cli(["init", "--forse"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "pipelex-telemetry init: unknown flag --forse (did you mean --force?); init takes --local (-l), --global (-g), --force, --help (-h)",
    );
    const status = await cli(["status", "--all"]);
    expect(status.code).toBe(2);
    expect(status.stderr).toContain("unknown flag --all; status takes --json, --mode M, --help (-h)");
    const command = await cli(["stauts"]);
    expect(command.stderr).toContain('unknown command "stauts" (did you mean "status"?)');
  });
});

const POSTHOG_KEY = "phc_9Xq2LmN4pR7sT1vW3yZ5a1b2";
const OTLP_TOKEN = "otlp-token-c0ffee-deadbeef-1234";

const ON_CONFIG = `[custom_posthog]
mode = "anonymous"
api_key = "\${POSTHOG_API_KEY}"
endpoint = "https://eu.i.posthog.com"
[custom_posthog.tracing]
enabled = true
[[otlp]]
name = "collector"
endpoint = "http://localhost:4318/v1/traces"
headers = { Authorization = "Bearer \${env:OTLP_TOKEN}" }
[[exporters]]
package = "pipelex-telemetry-exporter-fake"
`;

interface StatusStream {
  name: string;
  on: boolean;
  offBy?: string;
  reason: string;
  sendsTo?: string;
  receives?: string;
  redacts: string[];
  secrets: string[];
  installed?: boolean;
  installCommand?: string;
}

// Strict fakes stand in for the exporter packages (status imports each plugin that is on):
// the real plugins' status lines are tested in examples/third-party-exporter.
const FAKE_CONFIG = ON_CONFIG.replace(
  "pipelex-telemetry-exporter-fake",
  "pipelex-telemetry-exporter-example",
);

describe("status", () => {
  beforeEach(async () => {
    await installFakePlugins(ws);
    await ws.writeProject("telemetry.toml", FAKE_CONFIG);
  });

  it("--json: each stream on or off and why, the plugin's describe, secrets masked", async () => {
    const run = await cli(["status", "--json"], { POSTHOG_API_KEY: POSTHOG_KEY, OTLP_TOKEN });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain(POSTHOG_KEY);
    expect(run.stdout).not.toContain(OTLP_TOKEN);
    const view = JSON.parse(run.stdout) as { mode: string; doNotTrack: boolean; streams: StatusStream[] };
    expect(view).toMatchObject({ mode: "cli", doNotTrack: false });
    const [posthog, collector, example] = view.streams;
    expect(posthog).toMatchObject({
      name: "posthog",
      on: true,
      sendsTo: "https://eu.i.posthog.com",
      receives: "redacted",
      redacts: ["content", "pipe codes"],
    });
    expect(posthog!.secrets).toEqual(["phc_…a1b2"]);
    expect(collector).toMatchObject({ name: "collector", on: true, redacts: ["nothing (full span data)"] });
    expect(collector!.secrets).toEqual([expect.stringMatching(/…/)]);
    // The name stats() uses: the plugin's, not the package's.
    expect(example).toMatchObject({ name: "example", on: true, installed: true });
  });

  it("a plugin that is not installed: the stream is listed with the install command, and exit 1 as loadTelemetry throws", async () => {
    await ws.writeProject("telemetry.toml", ON_CONFIG);
    // The install hint follows the app's lockfile.
    await writeFile(join(ws.project, "pnpm-lock.yaml"), "lockfileVersion: '9.0'\n");
    const run = await cli(["status", "--json"], { POSTHOG_API_KEY: POSTHOG_KEY, OTLP_TOKEN });
    expect(run.code).toBe(1);
    const view = JSON.parse(run.stdout) as { streams: StatusStream[] };
    expect(view.streams[2]).toMatchObject({
      on: true,
      installed: false,
      installCommand: "pnpm add pipelex-telemetry-exporter-fake",
    });
    expect(run.stderr).toContain("PluginNotFoundError");
    expect(run.stderr).toContain("pnpm add pipelex-telemetry-exporter-fake");
  });

  it("validates exactly as loadTelemetry: the same error, exit 1", async () => {
    await ws.writeProject(
      "telemetry_override.toml",
      `[custom_posthog]\nmood = "happy"\n[[otlp]]\nname = "collector"\ntimeout_ms = "soon"\n`,
    );
    const env = { POSTHOG_API_KEY: POSTHOG_KEY, OTLP_TOKEN };
    const run = await cli(["status"], env);
    const loaded = await loadTelemetry({ cwd: ws.project, homeDir: ws.home, env, mode: "cli" }).catch(
      (e: unknown) => e as Error,
    );
    expect(loaded).toBeInstanceOf(Error);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      `pipelex-telemetry: ${(loaded as Error).name}: ${(loaded as Error).message}`,
    );
    expect(run.stderr).toContain("custom_posthog.mood");
    expect(run.stderr).toContain("otlp[0].timeout_ms");
  });

  it("DO_NOT_TRACK=0 is shown as set, counting as off; unset as not set", async () => {
    const zero = await cli(["status"], { DO_NOT_TRACK: "0", POSTHOG_API_KEY: POSTHOG_KEY, OTLP_TOKEN });
    expect(zero.stdout).toContain("DO_NOT_TRACK=0 (set, counts as off)");
    const unset = await cli(["status"], { POSTHOG_API_KEY: POSTHOG_KEY, OTLP_TOKEN });
    expect(unset.stdout).toMatch(/DO_NOT_TRACK\s+not set/);
  });

  it("human output, with the kill switch as the reason", async () => {
    const run = await cli(["status"], { DO_NOT_TRACK: "1" });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/posthog\s+OFF\s+DO_NOT_TRACK is set/);
    expect(run.stdout).toMatch(/collector\s+OFF\s+DO_NOT_TRACK is set/);
  });

  it("reports the mode as the reason in CI", async () => {
    const run = await cli(["status", "--json"], { CI: "true" });
    const view = JSON.parse(run.stdout) as { mode: string; streams: StatusStream[] };
    expect(view.mode).toBe("ci");
    expect(view.streams.every((s) => !s.on && s.offBy === "mode")).toBe(true);
  });

  it("shows the section's own reason when it is off", async () => {
    await ws.writeProject("telemetry_override.toml", `[custom_posthog]\nmode = "off"\n`);
    const run = await cli(["status", "--json"], { OTLP_TOKEN });
    const view = JSON.parse(run.stdout) as { streams: StatusStream[] };
    expect(view.streams[0]).toMatchObject({
      on: false,
      offBy: "config",
      reason: 'custom_posthog.mode = "off"',
    });
  });

  it("a config error exits 1 with the file and key, and no secret", async () => {
    await ws.writeProject("telemetry_override.toml", `[custom_posthog]\nmood = "happy"\n`);
    const run = await cli(["status"], { POSTHOG_API_KEY: POSTHOG_KEY, OTLP_TOKEN });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("TelemetryConfigError");
    expect(run.stderr).toContain("telemetry_override.toml");
    expect(run.stderr).toContain('"custom_posthog.mood"');
    expect(run.stderr).not.toContain(POSTHOG_KEY);
  });
});

describe("status with several mistakes", () => {
  it("prints every problem of every file at once, and exits 1", async () => {
    await ws.writeHome("telemetry_override.toml", `[langfuse]\nenvironment = "staging\n`);
    await ws.writeProject(
      "telemetry.toml",
      `[langfuze]\nenabled = true\n[telemetry_allowed_modes]\nci = "no"\n[custom_portkey]\nforce_debug = true\n`,
    );
    const run = await cli(["status"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("The telemetry configuration has 4 problems:");
    expect(run.stderr).toContain("line 2, column 23: TOML syntax error: a string is not closed");
    expect(run.stderr).toContain('key "langfuze": unknown section; did you mean "langfuse"?');
    expect(run.stderr).toContain('key "telemetry_allowed_modes.ci": must be true or false');
    expect(run.stderr).toContain(
      'key "custom_portkey.force_debug": unknown key; did you mean "force_debug_enabled"?',
    );
  });
});

interface PreviewJson {
  streams: { name: string; spans?: { name: string; attributes: Record<string, unknown> }[] }[];
}

describe("preview", () => {
  beforeEach(async () => {
    await installFakePlugins(ws);
    await ws.writeProject("telemetry.toml", FAKE_CONFIG);
  });

  it("prints what each destination would receive after its plugin's redaction", async () => {
    const run = await cli(["preview", "--json"], { POSTHOG_API_KEY: POSTHOG_KEY, OTLP_TOKEN });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const preview = JSON.parse(run.stdout) as PreviewJson;
    const byName = Object.fromEntries(preview.streams.map((s) => [s.name, s]));
    const posthog = JSON.stringify(byName.posthog!.spans);
    const collector = JSON.stringify(byName.collector!.spans);
    expect(byName.posthog!.spans).toHaveLength(3);
    expect(posthog).not.toContain("jane.doe@example.com");
    expect(posthog).not.toContain(SAMPLE_CONTENT.pipeCode);
    expect(collector).toContain("jane.doe@example.com");
    expect(collector).toContain(SAMPLE_CONTENT.pipeCode);
  });

  it("human output names each stream", async () => {
    const run = await cli(["preview"], { POSTHOG_API_KEY: POSTHOG_KEY, OTLP_TOKEN });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("=== posthog");
    expect(run.stdout).toContain("=== collector");
    expect(run.stdout).toContain("=== example");
    expect(run.stdout).toContain("summarize_contract");
  });

  it("a config error: the same error and exit code as status", async () => {
    await ws.writeProject("telemetry_override.toml", `[custom_posthog]\nmood = "happy"\n`);
    const env = { POSTHOG_API_KEY: POSTHOG_KEY, OTLP_TOKEN };
    const [preview, status] = [await cli(["preview"], env), await cli(["status"], env)];
    expect(preview.code).toBe(1);
    expect(preview.stderr).toBe(status.stderr);
  });

  it("under DO_NOT_TRACK nothing would leave the machine", async () => {
    const run = await cli(["preview"], { DO_NOT_TRACK: "1" });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("DO_NOT_TRACK is set: nothing would leave this machine");
    expect(run.stdout).not.toContain("jane.doe");
  });
});
