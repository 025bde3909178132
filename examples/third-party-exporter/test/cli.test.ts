import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { loadTelemetry } from "@pipelex/telemetry-core";
import { SAMPLE_CONTENT } from "@pipelex/telemetry-core/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

/**
 * This plugin next to the first-party ones, as an app installs them: `pipelex-telemetry status`
 * and `preview`, and the errors of a bad file, treat it exactly as they treat PostHog, Langfuse
 * and OTLP. Runs the built CLI and the built packages (`pnpm build` first).
 */
const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));
const CLI = join(packageDir("@pipelex/telemetry-core"), "dist", "cli.js");
const PACKAGES = {
  "@pipelex/telemetry-exporter-posthog": packageDir("@pipelex/telemetry-exporter-posthog"),
  "@pipelex/telemetry-exporter-langfuse": packageDir("@pipelex/telemetry-exporter-langfuse"),
  "@pipelex/telemetry-exporter-otlp": packageDir("@pipelex/telemetry-exporter-otlp"),
  "@pipelex/telemetry-gateway-stream": packageDir("@pipelex/telemetry-gateway-stream"),
  "pipelex-telemetry-exporter-example": resolve(import.meta.dirname, ".."),
};

const SECRETS = {
  POSTHOG_API_KEY: "phc_Q8wErTy5uIoP3aSdFgHjKl12",
  LANGFUSE_PUBLIC_KEY: "pk-lf-5c1d2e3f-public",
  LANGFUSE_SECRET_KEY: "sk-lf-9a8b7c6d-secret-value",
  OTLP_TOKEN: "otlp-tok-77aa88bb99cc",
  WEBHOOK_TOKEN: "whk_live_0f1e2d3c4b5a6978",
  PIPELEX_GATEWAY_API_KEY: "pgw-key-1234567890abcdef",
};

let root: string;
let project: string;
let home: string;
/** Loopback listener the OTLP and webhook endpoints point at: preview must never reach it. */
let listener: Server;
let hits: number;
let loopback: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "pipelex-plugin-parity-"));
  project = join(root, "project");
  home = join(root, "home");
  await mkdir(join(project, ".pipelex"), { recursive: true });
  await mkdir(home, { recursive: true });
  await writeFile(join(project, "package.json"), "{}", "utf8");
  for (const [name, dir] of Object.entries(PACKAGES)) {
    const link = join(project, "node_modules", name);
    await mkdir(dirname(link), { recursive: true });
    await symlink(dir, link, "dir");
  }
  hits = 0;
  listener = createServer((_req, res) => {
    hits++;
    res.writeHead(200).end("{}");
  });
  await new Promise<void>((done) => listener.listen(0, "127.0.0.1", done));
  loopback = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await new Promise((done) => listener.close(done));
  await rm(root, { recursive: true, force: true });
});

const config = () => `
[custom_posthog]
mode = "anonymous"
api_key = "\${POSTHOG_API_KEY}"
[custom_posthog.tracing]
enabled = true

[langfuse]
enabled = true

[[otlp]]
name = "collector"
endpoint = "${loopback}/v1/traces"
headers = { Authorization = "Bearer \${OTLP_TOKEN}" }

[[exporters]]
package = "pipelex-telemetry-exporter-example"
options = { endpoint = "${loopback}/hooks/spans", auth_token = "\${WEBHOOK_TOKEN}" }
`;

function cli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: project,
      env: { PATH: process.env.PATH ?? "", HOME: home, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

const noSecretIn = (text: string) => {
  for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
};

interface StatusStream {
  name: string;
  package: string;
  on: boolean;
  sendsTo: string;
  receives: string;
  redacts: string[];
  secrets: string[];
}

describe("status: a third-party plugin gets the lines a first-party one gets", () => {
  it("every stream on, described by its plugin, its secrets masked", async () => {
    await writeFile(join(project, ".pipelex", "telemetry.toml"), config(), "utf8");
    const run = await cli(["status", "--json"], SECRETS);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    noSecretIn(run.stdout);
    const streams = (JSON.parse(run.stdout) as { streams: StatusStream[] }).streams;
    const byName = Object.fromEntries(streams.map((s) => [s.name, s]));
    expect(Object.keys(byName)).toEqual(["posthog", "langfuse", "collector", "webhook"]);
    // [custom_posthog] without endpoint: PostHog's US cloud, as in Python.
    expect(byName.posthog).toMatchObject({
      on: true,
      sendsTo: "https://us.i.posthog.com",
      receives: "redacted",
    });
    expect(byName.langfuse).toMatchObject({ on: true, receives: "full data" });
    expect(byName.collector).toMatchObject({ on: true, receives: "full data" });
    expect(byName.webhook).toMatchObject({
      on: true,
      package: "pipelex-telemetry-exporter-example",
      sendsTo: loopback,
      receives: "redacted",
      redacts: ["content (prompts, completions, error messages)"],
    });
    for (const stream of streams) {
      expect(stream.secrets.length).toBeGreaterThan(0);
      for (const masked of stream.secrets) expect(masked).toContain("…");
    }

    const human = await cli(["status"], SECRETS);
    noSecretIn(human.stdout);
    for (const name of ["posthog", "langfuse", "collector", "webhook"]) {
      expect(human.stdout).toMatch(new RegExp(`^  ${name}  ON `, "m"));
    }
    expect(human.stdout.match(/^ {4}receives {4}/gm)).toHaveLength(4);
    expect(human.stdout.match(/^ {4}secrets {5}/gm)).toHaveLength(4);
  });
});

interface PreviewStream {
  name: string;
  requests?: { method: string; url: string; body: unknown }[];
  spans?: unknown[];
  notes: string[];
}

describe("preview: each real exporter against a capture fetch, nothing sent", () => {
  it("decoded request bodies for PostHog, Langfuse, OTLP, the gateway and the third-party plugin", async () => {
    await writeFile(join(project, ".pipelex", "telemetry.toml"), config(), "utf8");
    const run = await cli(["preview", "--json"], SECRETS);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(hits).toBe(0);
    noSecretIn(run.stdout);
    const streams = (JSON.parse(run.stdout) as { streams: PreviewStream[] }).streams;
    const byName = Object.fromEntries(streams.map((s) => [s.name, s]));
    expect(Object.keys(byName)).toEqual(["posthog", "langfuse", "collector", "webhook", "pipelex-gateway"]);
    for (const stream of streams) expect(stream.requests?.length, stream.name).toBeGreaterThan(0);
    const body = (name: string) => JSON.stringify(byName[name]!.requests!.map((r) => r.body));

    expect(body("posthog")).toContain("$ai_generation");
    expect(body("posthog")).not.toContain(SAMPLE_CONTENT.prompt);
    // OTLP as JSON, with its resource; full data.
    expect(body("collector")).toContain("resourceSpans");
    expect(body("collector")).toContain("service.name");
    expect(body("collector")).toContain(SAMPLE_CONTENT.prompt);
    expect(body("langfuse")).toContain("resourceSpans");
    expect(body("langfuse")).toContain(SAMPLE_CONTENT.prompt);
    // The third-party plugin: its own body, its own default redaction.
    expect(body("webhook")).toContain("summarize_contract");
    expect(body("webhook")).not.toContain(SAMPLE_CONTENT.prompt);
    expect(body("pipelex-gateway")).toContain("$ai_generation");
    expect(body("pipelex-gateway")).not.toContain(SAMPLE_CONTENT.prompt);

    const human = await cli(["preview"], SECRETS);
    expect(human.code).toBe(0);
    noSecretIn(human.stdout);
    expect(human.stdout).toContain("=== webhook (pipelex-telemetry-exporter-example)");
    expect(human.stdout).toContain(`POST ${loopback}/hooks/spans`);
  });
});

describe("a bad file: every error names the key as written, for every plugin alike", () => {
  it("status and loadTelemetry report the same problems, first- and third-party, with file keys", async () => {
    const file = join(project, ".pipelex", "telemetry.toml");
    await writeFile(
      file,
      `${config()}
[custom_posthog.tracing.capture]
content_max_length = "long"
`
        .replace('name = "collector"', 'name = "collector"\ntimeout_ms = "soon"')
        .replace(
          `auth_token = "\${WEBHOOK_TOKEN}"`,
          'auth_token = "", include_content = "yes", colour = "red"',
        ),
      "utf8",
    );
    const env = { ...SECRETS };
    const run = await cli(["status"], env);
    expect(run.code).toBe(1);
    noSecretIn(run.stderr);
    for (const key of [
      "custom_posthog.tracing.capture.content_max_length",
      "otlp[0].timeout_ms",
      "exporters[0].options.auth_token",
      "exporters[0].options.include_content",
      "exporters[0].options.colour",
    ]) {
      expect(run.stderr).toContain(`key "${key}"`);
    }
    const loaded = await loadTelemetry({ cwd: project, homeDir: home, env, mode: "cli" }).catch(
      (e: unknown) => e,
    );
    expect(run.stderr.trim()).toBe(
      `pipelex-telemetry: ${(loaded as Error).name}: ${(loaded as Error).message}`,
    );
    expect((await cli(["preview"], env)).stderr).toBe(run.stderr);
  });

  it("[langfuse] enabled with no keys in the file and none in the environment names the variables", async () => {
    await writeFile(join(project, ".pipelex", "telemetry.toml"), "[langfuse]\nenabled = true\n", "utf8");
    const run = await cli(["status"], {});
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('key "langfuse.public_key"');
    expect(run.stderr).toContain("LANGFUSE_PUBLIC_KEY");
    const ok = await cli(["status"], {
      LANGFUSE_PUBLIC_KEY: SECRETS.LANGFUSE_PUBLIC_KEY,
      LANGFUSE_SECRET_KEY: SECRETS.LANGFUSE_SECRET_KEY,
    });
    expect(ok.code).toBe(0);
  });
});
