import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type LangfuseReceiver, startLangfuseReceiver } from "@pipelex/test-receivers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The Langfuse SDK prints every span's attributes (prompts included) to the console when
 * LANGFUSE_DEBUG / LANGFUSE_LOG_LEVEL=DEBUG are set. Its logger is ours: those lines go through
 * the masking logger, at the level the user chose for telemetry.
 */

const SCRIPT = fileURLToPath(new URL("./fixtures/debug-env-workflow.mjs", import.meta.url));
let receiver: LangfuseReceiver;
beforeAll(async () => {
  receiver = await startLangfuseReceiver({ publicKey: "pk-lf-debug", secretKey: "sk-lf-debug-0123" });
});
afterAll(() => receiver.close());

function run(
  userLevel: string | undefined,
  prompt: string,
): Promise<{ output: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT], {
      env: {
        ...process.env,
        LANGFUSE_DEBUG: "true",
        LANGFUSE_LOG_LEVEL: "DEBUG",
        ENDPOINT: receiver.url,
        PROMPT: prompt,
        USER_LEVEL: userLevel ?? "",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ output, code }));
  });
}

describe("the Langfuse SDK's logs go through the telemetry logger", () => {
  it("prints no prompt with LANGFUSE_DEBUG=true and LANGFUSE_LOG_LEVEL=DEBUG at the default level", async () => {
    const prompt = "PROMPT-MARKER-default-4f1c";
    const before = receiver.acceptedSpans().length;
    const { output, code } = await run(undefined, prompt);
    expect(code).toBe(0);
    expect(output).not.toContain(prompt);
    expect(output).not.toContain("Langfuse SDK");
    // The workflow did reach Langfuse: silence is not a failure to send.
    expect(receiver.acceptedSpans().length - before).toBe(2);
  }, 30_000);

  it("prints the SDK's debug lines, masked and prefixed, only when the user's own level is debug", async () => {
    const prompt = "PROMPT-MARKER-debug-9b2e";
    const { output, code } = await run("debug", prompt);
    expect(code).toBe(0);
    expect(output).toContain("[pipelex-telemetry] langfuse: Langfuse SDK:");
    expect(output).toContain(prompt);
    expect(output).not.toContain("sk-lf-debug-0123");
    // Nothing from the SDK's own console logger.
    expect(output).not.toContain("[Langfuse SDK]");
  }, 30_000);
});
