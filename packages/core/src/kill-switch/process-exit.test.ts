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
`;

function timeScript(file: string, env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, [file], { env, encoding: "utf8", timeout: 20_000 });
  expect(result.status, result.stderr).toBe(0);
  expect(result.stdout.trim()).toBe("44850");
  return performance.now() - started;
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
    // Median of three runs each, to tame noise on a small machine.
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[1]!;
    const without = median([0, 1, 2].map(() => timeScript(join(dir, "without.mjs"), env)));
    const withTelemetry = median([0, 1, 2].map(() => timeScript(join(dir, "with.mjs"), env)));
    // Both import core; the difference is what telemetry does at run time: nothing.
    expect(withTelemetry).toBeLessThan(without * 1.25 + 50);
  });

  it("with telemetry on and an exporter that never answers, the process still exits promptly (timers are unref'd)", () => {
    const elapsed = timeScript(join(dir, "with.mjs"), { PATH: process.env.PATH });
    expect(elapsed).toBeLessThan(5000);
  });
});
