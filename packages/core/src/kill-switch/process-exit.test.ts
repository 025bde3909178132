import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const coreDist = fileURLToPath(new URL("../../dist/index.js", import.meta.url));

// A workflow script: with telemetry (under DO_NOT_TRACK, or on with no shutdown) or without.
// 300 runs make 600 spans, so a 512-span batch reaches the exporter, which never answers.
const script = (withTelemetry: boolean) => `
import { createTelemetry, destination } from ${JSON.stringify(coreDist)};
const slowExporter = { export(spans, done) { /* never answers */ }, shutdown: async () => {} };
const telemetry = ${withTelemetry} ? createTelemetry({ destinations: [destination({ name: "slow", exporter: slowExporter })] }) : undefined;
const run = (fn) => (telemetry ? telemetry.pipeRun({ runId: "r", pipeCode: "p", pipeType: "PipeLLM" }, fn) : fn());
const infer = (fn) => (telemetry ? telemetry.inference({ model: "m", provider: "p", operation: "chat" }, fn) : fn({ recordInput() {} }));
let total = 0;
for (let i = 0; i < 300; i++) total += await run(() => infer(async (call) => { call.recordInput?.("hello"); return i; }));
console.log(total);
// The process's own CPU time at exit: unlike wall time, other load on the machine does not count.
process.on("exit", () => { const u = process.cpuUsage(); console.log((u.user + u.system) / 1000); });
`;

/** Runs a script; returns its wall time and the CPU time it reported, in ms. */
function runScript(file: string, env: NodeJS.ProcessEnv): { wallMs: number; cpuMs: number } {
  const started = performance.now();
  const result = spawnSync(process.execPath, [file], { env, encoding: "utf8", timeout: 20_000 });
  const wallMs = performance.now() - started;
  expect(result.status, result.stderr).toBe(0);
  const [total, cpu] = result.stdout.trim().split("\n");
  expect(total).toBe("44850");
  return { wallMs, cpuMs: Number(cpu) };
}

describe("telemetry never keeps a process alive", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "pipelex-exit-"));
    writeFileSync(join(dir, "with.mjs"), script(true));
    writeFileSync(join(dir, "without.mjs"), script(false));
  });

  it("with DO_NOT_TRACK a script exits as fast as one without telemetry", () => {
    const env = { PATH: process.env.PATH, DO_NOT_TRACK: "1" };
    // Median of five runs each, interleaved, to tame noise on a small machine.
    const without: number[] = [];
    const withTelemetry: number[] = [];
    const walls: number[] = [];
    for (let i = 0; i < 5; i++) {
      without.push(runScript(join(dir, "without.mjs"), env).cpuMs);
      const run = runScript(join(dir, "with.mjs"), env);
      withTelemetry.push(run.cpuMs);
      walls.push(run.wallMs);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[2]!;
    // Both import core; the difference is what telemetry does at run time: nothing.
    expect(median(withTelemetry), `cpu ms with ${withTelemetry} vs without ${without}`).toBeLessThan(
      median(without) * 1.15 + 15,
    );
    // And nothing holds the process open: it ends as soon as the workflow does.
    expect(median(walls)).toBeLessThan(3000);
  });

  it("with telemetry on and an exporter that never answers, the process still exits promptly (timers are unref'd)", () => {
    const { wallMs } = runScript(join(dir, "with.mjs"), { PATH: process.env.PATH });
    expect(wallMs).toBeLessThan(5000);
  });
});
