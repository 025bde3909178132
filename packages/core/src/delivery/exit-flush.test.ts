import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const CORE = new URL("../../dist/index.js", import.meta.url).href;
const PLUGIN = new URL("../../dist/plugin.js", import.meta.url).href;

/** A child app that records spans and ends without `shutdown()`; returns its stdout lines. */
async function runChild(body: string): Promise<{ lines: Record<string, unknown>[]; exitedAfterMs: number }> {
  const script = `
import { createTelemetry, destination } from ${JSON.stringify(CORE)};
import { yieldToEventLoop } from ${JSON.stringify(PLUGIN)};
const print = (line) => process.stdout.write(JSON.stringify(line) + "\\n");
${body}
print({ lastWork: Date.now() });
process.on("exit", () => print({ exit: Date.now() }));
`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
    cwd: fileURLToPath(new URL(".", import.meta.url)),
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  await new Promise((resolve) => child.on("exit", resolve));
  const lines = out
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const lastWork = Number(lines.find((l) => "lastWork" in l)?.lastWork);
  const exit = Number(lines.find((l) => "exit" in l)?.exit);
  return { lines, exitedAfterMs: exit - lastWork };
}

describe("exit without shutdown()", () => {
  it("lets an exporter that buffers spans itself flush them, within the bound", async () => {
    const { lines, exitedAfterMs } = await runChild(`
class BufferingExporter {
  buffer = [];
  export(spans, done) { this.buffer.push(...spans); done({ code: 0 }); }
  forceFlush() {
    return new Promise((resolve) => setTimeout(() => {
      print({ flushed: this.buffer.length });
      this.buffer = [];
      resolve();
    }, 50));
  }
  async shutdown() {}
}
const telemetry = createTelemetry({
  env: {},
  logLevel: "silent",
  destinations: [destination({ name: "b", exporter: new BufferingExporter(), delivery: { scheduledDelayMillis: 60000 } })],
});
for (let i = 0; i < 5; i++) telemetry.inference({ model: "m", provider: "p", operation: "chat" }, () => "ok");
`);
    expect(lines).toContainEqual({ flushed: 5 });
    // Core's bound (EXIT_FLUSH_MS, 500 ms) plus a loaded machine's slack: never the exporter's own pace.
    expect(exitedAfterMs).toBeLessThan(1000);
  });

  it("does not wait past the bound for a flush that hangs", async () => {
    const { lines, exitedAfterMs } = await runChild(`
const telemetry = createTelemetry({
  env: {},
  logLevel: "silent",
  destinations: [destination({ name: "b", exporter: {
    export(_spans, done) { done({ code: 0 }); },
    forceFlush() { return new Promise(() => {}); },
    async shutdown() {},
  } })],
});
telemetry.inference({ model: "m", provider: "p", operation: "chat" }, () => "ok");
`);
    expect(lines.some((l) => "exit" in l)).toBe(true);
    expect(exitedAfterMs).toBeLessThan(1000);
  });

  it("delivery slices queued from inside a watched exporter still run before the process ends", async () => {
    // The handle hook unrefs what a foreign exporter creates; the slice scheduler's turn, queued
    // from inside it, must not be one of them, or every later slice would wait on a turn that
    // no longer holds the process.
    const { lines } = await runChild(`
const spec = destination({ name: "f", exporter: {
  export(_spans, done) { yieldToEventLoop().then(() => { print({ step: "exporter resumed" }); done({ code: 0 }); }); },
  async shutdown() {},
} });
spec.createExporter({}).export([], () => print({ step: "export answered" }));
yieldToEventLoop().then(async () => {
  print({ step: "core turn 1" });
  await yieldToEventLoop();
  print({ step: "core turn 2" });
});
`);
    const steps = lines.filter((l) => "step" in l).map((l) => l.step);
    expect(steps).toEqual(
      expect.arrayContaining(["exporter resumed", "export answered", "core turn 1", "core turn 2"]),
    );
  });
});
