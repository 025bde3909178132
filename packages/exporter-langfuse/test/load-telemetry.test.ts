import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { LangfuseCredentialsError, loadTelemetry } from "@pipelex/telemetry-core";
import { runSampleWorkflow } from "@pipelex/telemetry-core/testing";
import { langfuseObservation, startLangfuseReceiver } from "@pipelex/test-receivers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

/**
 * telemetry.toml -> loadTelemetry -> this package (built, resolved from the project's
 * node_modules as an app would) -> Langfuse. Needs `pnpm build` first, like any consumer.
 */
const PACKAGE_DIR = resolve(import.meta.dirname, "..");
const PUBLIC_KEY = "pk-lf-from-toml-0001";
const SECRET_KEY = "sk-lf-from-toml-secret-0001";

let root: string;
let project: string;
let home: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "pipelex-langfuse-"));
  project = join(root, "project");
  home = join(root, "home");
  await mkdir(join(project, ".pipelex"), { recursive: true });
  await mkdir(join(project, "node_modules", "@pipelex"), { recursive: true });
  await mkdir(home, { recursive: true });
  await symlink(PACKAGE_DIR, join(project, "node_modules", "@pipelex", "telemetry-exporter-langfuse"), "dir");
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const TOML = `
[langfuse]
enabled = true
endpoint = "\${LANGFUSE_BASE_URL}"
public_key = "\${LANGFUSE_PUBLIC_KEY}"
secret_key = "\${LANGFUSE_SECRET_KEY}"
environment = "ci-run"
`;

describe("[langfuse] in telemetry.toml", () => {
  it("loads this plugin and delivers to Langfuse with the keys from the environment", async () => {
    const receiver = await startLangfuseReceiver({ publicKey: PUBLIC_KEY, secretKey: SECRET_KEY });
    try {
      await writeFile(join(project, ".pipelex", "telemetry.toml"), TOML, "utf8");
      const telemetry = await loadTelemetry({
        cwd: project,
        homeDir: home,
        mode: "cli",
        env: {
          LANGFUSE_BASE_URL: receiver.url,
          LANGFUSE_PUBLIC_KEY: PUBLIC_KEY,
          LANGFUSE_SECRET_KEY: SECRET_KEY,
        },
      });
      expect(telemetry.destinations).toEqual(["langfuse"]);
      await runSampleWorkflow(telemetry);
      await telemetry.shutdown({ timeoutMs: 2000 });
      const observations = receiver.acceptedSpans().map(langfuseObservation);
      expect(observations.map((o) => o.type).sort()).toEqual(["generation", "generation", "span"]);
      expect(observations.every((o) => o.trace.environment === "ci-run")).toBe(true);
    } finally {
      await receiver.close();
    }
  });

  it("an unset key variable is a LangfuseCredentialsError naming it, without the other secret", async () => {
    await writeFile(join(project, ".pipelex", "telemetry.toml"), TOML, "utf8");
    const attempt = loadTelemetry({
      cwd: project,
      homeDir: home,
      mode: "cli",
      env: { LANGFUSE_BASE_URL: "http://127.0.0.1:9", LANGFUSE_SECRET_KEY: SECRET_KEY },
    });
    await expect(attempt).rejects.toBeInstanceOf(LangfuseCredentialsError);
    await expect(attempt).rejects.toThrow(/LANGFUSE_PUBLIC_KEY/);
    await attempt.catch((error: Error) => expect(error.message).not.toContain(SECRET_KEY));
  });
});
