// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` placeholders in plain strings are what these tests are about
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TelemetryConfigError } from "../errors.js";
import { loadTelemetry } from "./load-telemetry.js";
import { resolveTelemetryConfig } from "./resolve-config.js";
import {
  CORE_DIST,
  createWorkspace,
  readSink,
  recordingPluginSource,
  type Workspace,
} from "./workspace.test-helper.js";

/** A value that must never appear in an error: the environment holds it under every name used. */
const SECRET = "phc_resolved_value_never_in_errors_0000";
const ENV = { POSTHOG_API_KEY: SECRET, OTLP_TOKEN: SECRET, ENV: SECRET };

let ws: Workspace;
beforeAll(() => {
  if (!existsSync(join(CORE_DIST, "plugin.js")))
    throw new Error("run `pnpm --filter @pipelex/telemetry-core build` first");
});
beforeEach(async () => {
  ws = await createWorkspace();
});
afterEach(async () => {
  await ws.cleanup();
});

async function errorOf(promise: Promise<unknown>): Promise<TelemetryConfigError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TelemetryConfigError);
  return error as TelemetryConfigError;
}

const resolve = (options: Parameters<typeof resolveTelemetryConfig>[0] = {}) =>
  resolveTelemetryConfig({ cwd: ws.project, homeDir: ws.home, env: ENV, mode: "cli", ...options });

const POSTHOG_ON = (apiKey: string) =>
  `[custom_posthog]\nmode = "anonymous"\nendpoint = "https://eu.i.posthog.com"\napi_key = "${apiKey}"\n[custom_posthog.tracing]\nenabled = true\n`;

const MISTYPED = ["$POSTHOG_API_KEY", "${ POSTHOG_API_KEY }", "${POSTHOG_API_KEY:-x}", "${ENV:OTLP_TOKEN}"];

describe("mistyped placeholders", () => {
  it.each(MISTYPED)(
    "%s in a stream that is on is an error naming the key and the placeholder",
    async (written) => {
      await ws.writeProject("telemetry.toml", POSTHOG_ON(written));
      const error = await errorOf(resolve());
      const problem = error.problems.find((p) => p.keyPath === "custom_posthog.api_key");
      expect(problem?.message).toContain(`"${written.replace(":-x", ":-…")}"`);
      expect(problem?.file).toBe(join(ws.project, ".pipelex", "telemetry.toml"));
      expect(error.message).toContain('key "custom_posthog.api_key"');
      expect(error.message).not.toContain(SECRET);
    },
  );

  it.each(MISTYPED)("%s in an [[otlp]] header is an error naming the header", async (written) => {
    await ws.writeProject(
      "telemetry.toml",
      `[[otlp]]\nname = "c"\nendpoint = "http://localhost:4318/v1/traces"\nheaders = { Authorization = "Bearer ${written}" }\n`,
    );
    const error = await errorOf(resolve());
    expect(error.problems.map((p) => p.keyPath)).toContain("otlp[0].headers.Authorization");
    expect(error.message).not.toContain(SECRET);
  });

  it("is not an error in a stream that is off (the file may keep it until the stream is used)", async () => {
    await ws.writeProject(
      "telemetry.toml",
      `[custom_posthog]\nmode = "off"\napi_key = "$POSTHOG_API_KEY"\n[langfuse]\nenabled = false\nsecret_key = "\${ LANGFUSE_SECRET_KEY }"\n`,
    );
    const config = await resolve();
    expect(config.streams.every((s) => !s.on)).toBe(true);
  });

  it("every mistyped placeholder of a file is reported in one error", async () => {
    await ws.writeProject(
      "telemetry.toml",
      `${POSTHOG_ON("$POSTHOG_API_KEY")}[[otlp]]\nname = "c"\nendpoint = "http://localhost:4318/v1/traces"\nheaders = { A = "\${ENV:OTLP_TOKEN}", B = "\${OTLP_TOKEN:-x}" }\n`,
    );
    const error = await errorOf(resolve());
    expect(error.problems.map((p) => p.keyPath)).toEqual(
      expect.arrayContaining(["custom_posthog.api_key", "otlp[0].headers.A", "otlp[0].headers.B"]),
    );
  });
});

describe("${secret:NAME} through a secrets provider", () => {
  const exporterWith = (options: string) =>
    `[[exporters]]\npackage = "pipelex-telemetry-exporter-fake"\noptions = { ${options} }\n`;

  beforeEach(async () => {
    await ws.addPackage("pipelex-telemetry-exporter-fake", {
      "index.mjs": recordingPluginSource({ sinkKey: `${ws.root}:fake`, name: "fake" }),
    });
  });

  it("resolves secret: references and env|secret chains, asking the provider once per name", async () => {
    await ws.writeProject(
      "telemetry.toml",
      exporterWith(
        `token = "\${secret:vault/token}", chain = "\${env:UNSET_VAR|secret:vault/token}", region = "\${REGION}"`,
      ),
    );
    const asked: string[] = [];
    const telemetry = await loadTelemetry({
      cwd: ws.project,
      homeDir: ws.home,
      env: { REGION: "eu" },
      mode: "cli",
      logLevel: "silent",
      secrets: async (name) => {
        asked.push(name);
        return name === "vault/token" ? "tok-from-vault" : undefined;
      },
    });
    await telemetry.shutdown();
    expect(readSink(`${ws.root}:fake`).created).toEqual([
      { token: "tok-from-vault", chain: "tok-from-vault", region: "eu" },
    ]);
    expect(asked).toEqual(["vault/token"]);
  });

  it("without a provider, a secret: reference is an error naming the key", async () => {
    await ws.writeProject("telemetry.toml", exporterWith(`token = "\${secret:vault/token}"`));
    const error = await errorOf(
      loadTelemetry({ cwd: ws.project, homeDir: ws.home, env: {}, mode: "cli", logLevel: "silent" }),
    );
    expect(error.problems).toEqual([
      expect.objectContaining({
        keyPath: "exporters[0].options.token",
        message: expect.stringContaining("no secrets provider was given"),
      }),
    ]);
    expect(error.message).toContain('"${secret:vault/token}"');
    expect(readSink(`${ws.root}:fake`).created).toEqual([]);
  });

  it("a secret the provider does not have is an error naming the key, never another secret", async () => {
    await ws.writeProject(
      "telemetry.toml",
      exporterWith(`token = "\${secret:missing}", other = "\${secret:present}"`),
    );
    const error = await errorOf(
      loadTelemetry({
        cwd: ws.project,
        homeDir: ws.home,
        env: {},
        mode: "cli",
        logLevel: "silent",
        secrets: (name) => (name === "present" ? SECRET : undefined),
      }),
    );
    expect(error.keyPath).toBe("exporters[0].options.token");
    expect(error.message).toContain('the secrets provider has no secret "missing"');
    expect(error.message).not.toContain(SECRET);
  });

  it("an unknown prefix is an error", async () => {
    await ws.writeProject("telemetry.toml", exporterWith(`token = "\${vault:token}"`));
    const error = await errorOf(resolve());
    expect(error.message).toContain('unknown prefix "vault:"');
  });
});
