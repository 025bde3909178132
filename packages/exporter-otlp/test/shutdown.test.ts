import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createTelemetry } from "@pipelex/telemetry-core";
import { startOtlpReceiver } from "@pipelex/test-receivers";
import { describe, expect, it } from "vitest";
import { otlp } from "../src/index.js";
import { runWorkflow } from "./helpers.js";

/** A loopback URL where nothing listens: a receiver's port, closed again. */
async function deadEndpoint(): Promise<string> {
  const receiver = await startOtlpReceiver();
  const url = receiver.tracesUrl;
  await receiver.close();
  return url;
}

describe("the collector is down", () => {
  it("shutdown({ timeoutMs: 1000 }) resolves within 1.5 s and reports what was not delivered", async () => {
    const endpoint = await deadEndpoint();
    const telemetry = createTelemetry({
      env: {},
      logLevel: "silent",
      destinations: [otlp({ name: "down", endpoint })],
    });
    await runWorkflow(telemetry);
    const started = Date.now();
    const report = await telemetry.shutdown({ timeoutMs: 1000 });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(1500);
    expect(report.complete).toBe(false);
    expect(report.destinations.down).toMatchObject({ exported: 0, notDelivered: 3, timedOut: true });
  });

  it("the process exits on its own right after shutdown (child process, wall time)", async () => {
    const endpoint = await deadEndpoint();
    const script = fileURLToPath(new URL("./fixtures/shutdown-receiver-down.mjs", import.meta.url));
    const spawnedAt = Date.now();
    const child = spawn(process.execPath, [script, endpoint], {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      env: { PATH: process.env.PATH ?? "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      const guard = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`the child did not exit within 15 s; stdout: ${stdout}; stderr: ${stderr}`));
      }, 15_000);
      child.on("exit", (exitCode) => {
        clearTimeout(guard);
        resolve(exitCode);
      });
    });
    const exitedAt = Date.now();
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const result = JSON.parse(stdout.trim()) as {
      shutdownStartedAt: number;
      shutdownResolvedAt: number;
      report: { complete: boolean; destinations: Record<string, { notDelivered: number }> };
    };
    const shutdownMs = result.shutdownResolvedAt - result.shutdownStartedAt;
    const shutdownToExitMs = exitedAt - result.shutdownStartedAt;
    console.info(
      `[otlp shutdown, collector down] shutdown resolved in ${shutdownMs} ms; process exited ${shutdownToExitMs} ms after shutdown began; wall time ${exitedAt - spawnedAt} ms`,
    );
    expect(result.report.destinations.down?.notDelivered).toBe(2);
    expect(shutdownMs).toBeLessThan(1500);
    // Exit follows shutdown: no retry timer or socket keeps the process alive.
    expect(shutdownToExitMs).toBeLessThan(1500);
    expect(exitedAt - spawnedAt).toBeLessThan(6000);
  });
});
