import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTelemetry, loadTelemetry, type Telemetry } from "@pipelex/telemetry-core";
import { type OtlpReceiver, startOtlpReceiver } from "@pipelex/test-receivers";
import { afterEach, describe, expect, it } from "vitest";
import { otlp } from "../src/index.js";
import { captureLogger, PROMPT_DELIVERY, runWorkflow } from "./helpers.js";

const receivers: OtlpReceiver[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function twoReceivers(): Promise<[OtlpReceiver, OtlpReceiver]> {
  const pair = await Promise.all([startOtlpReceiver(), startOtlpReceiver()]);
  receivers.push(...pair);
  return pair;
}

/** Each receiver got the whole workflow, with its own headers and none of the other's. */
async function expectEachGotItsOwn(telemetry: Telemetry, [a, b]: [OtlpReceiver, OtlpReceiver]) {
  await runWorkflow(telemetry);
  await telemetry.forceFlush();
  await Promise.all([
    a.waitForAcceptedSpans(3, { timeoutMs: 5000 }),
    b.waitForAcceptedSpans(3, { timeoutMs: 5000 }),
  ]);
  for (const [receiver, token, other, tenant] of [
    [a, "Bearer token-for-collector-a", "Bearer token-for-collector-b", "a"],
    [b, "Bearer token-for-collector-b", "Bearer token-for-collector-a", undefined],
  ] as const) {
    expect(
      receiver
        .acceptedSpans()
        .map((s) => s.name)
        .sort(),
    ).toEqual([
      "PipeLLM: summarize",
      "summarize: job-1 (gpt-4o) -> text",
      "summarize: job-2 (gpt-4o-mini) -> text",
    ]);
    for (const request of receiver.exports) {
      expect(request.request.headers.authorization).toBe(token);
      expect(request.request.headers.authorization).not.toBe(other);
      expect(request.request.headers["x-tenant"]).toBe(tenant);
    }
  }
  // The same spans went to both (one trace, same ids).
  const ids = (r: OtlpReceiver) =>
    r
      .acceptedSpans()
      .map((s) => `${s.traceId}/${s.spanId}`)
      .sort();
  expect(ids(a)).toEqual(ids(b));
  expect(telemetry.stats()).toMatchObject({
    "collector-a": { exported: 3, dropped: { exportFailed: 0 } },
    "collector-b": { exported: 3, dropped: { exportFailed: 0 } },
  });
}

describe("two OTLP destinations", () => {
  it("two otlp() destinations send to two receivers, each with its own headers", async () => {
    const pair = await twoReceivers();
    const logger = captureLogger();
    const telemetry = createTelemetry({
      env: {},
      logger,
      logLevel: "debug",
      destinations: [
        otlp({
          name: "collector-a",
          endpoint: pair[0].tracesUrl,
          headers: { Authorization: "Bearer token-for-collector-a", "X-Tenant": "a" },
          delivery: PROMPT_DELIVERY,
        }),
        otlp({
          name: "collector-b",
          endpoint: pair[1].tracesUrl,
          headers: { Authorization: "Bearer token-for-collector-b" },
          protocol: "http/json",
          delivery: PROMPT_DELIVERY,
        }),
      ],
    });
    await expectEachGotItsOwn(telemetry, pair);
    expect(pair[1].exports[0]!.encoding).toBe("json");
    await telemetry.shutdown({ timeoutMs: 2000 });
    // Header values never reach a log line (the debug line names the header, not its value).
    expect(logger.lines.some((l) => l.includes("headers [Authorization, X-Tenant]"))).toBe(true);
    expect(logger.lines.join("\n")).not.toMatch(/token-for-collector/);
  });

  it("two [[otlp]] entries in .pipelex/telemetry.toml, loaded with loadTelemetry", async () => {
    const pair = await twoReceivers();
    const cwd = await mkdtemp(join(tmpdir(), "pipelex-otlp-"));
    const homeDir = await mkdtemp(join(tmpdir(), "pipelex-otlp-home-"));
    dirs.push(cwd, homeDir);
    // The app resolves the plugin from its own node_modules, as an installed app would.
    await mkdir(join(cwd, "node_modules", "@pipelex"), { recursive: true });
    await symlink(
      fileURLToPath(new URL("..", import.meta.url)),
      join(cwd, "node_modules", "@pipelex", "telemetry-exporter-otlp"),
      "dir",
    );
    await mkdir(join(cwd, ".pipelex"));
    await writeFile(
      join(cwd, ".pipelex", "telemetry.toml"),
      [
        "[[otlp]]",
        'name = "collector-a"',
        `endpoint = "${pair[0].tracesUrl}"`,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a ${VAR} placeholder, as written in telemetry.toml
        'headers = { Authorization = "Bearer ${env:TOKEN_A}", X-Tenant = "a" }',
        "",
        "[[otlp]]",
        'name = "collector-b"',
        `endpoint = "${pair[1].tracesUrl}"`,
        'protocol = "http/json"',
        'compression = "gzip"',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a ${VAR} placeholder, as written in telemetry.toml
        'headers = { Authorization = "Bearer ${TOKEN_B}" }',
        "",
      ].join("\n"),
    );
    const telemetry = await loadTelemetry({
      cwd,
      homeDir,
      mode: "cli",
      env: { TOKEN_A: "token-for-collector-a", TOKEN_B: "token-for-collector-b" },
      logLevel: "silent",
    });
    expect(telemetry.destinations).toEqual(["collector-a", "collector-b"]);
    // loadTelemetry's batching is the default (5 s delay): forceFlush sends at once.
    await expectEachGotItsOwn(telemetry, pair);
    expect(pair[1].exports[0]!.request.headers["content-encoding"]).toBe("gzip");
    await telemetry.shutdown({ timeoutMs: 2000 });
  });
});
