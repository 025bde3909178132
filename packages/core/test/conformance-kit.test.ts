import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error plain JS fixtures (a child process imports them as they are)
import { EXPECTED_FAILURES } from "./conformance-fixtures/expectations.mjs";

/**
 * Every check of the conformance kit fails its purpose-built bad plugin and passes the good
 * ones, with stdout a pipe (CI), a file and a terminal (`script` gives the kit a pty). The kit
 * runs in child processes, the way a plugin's own test would run it, several at a time.
 */
type Stdout = "pipe" | "file" | "terminal";
const expected = EXPECTED_FAILURES as Record<string, string[]>;
const RUNNER = new URL("./conformance-fixtures/run-fixtures.mjs", import.meta.url).pathname;
const CHUNKS = 3;

interface Failure {
  readonly check: string;
  readonly problem: string;
}

interface RunnerResult {
  readonly stdoutIsTTY: boolean;
  readonly results: Record<string, Failure[]>;
}

function runFixtures(stdout: Stdout, fixtures: string[]): Promise<RunnerResult> {
  const dir = mkdtempSync(join(tmpdir(), "pipelex-conformance-"));
  const resultsFile = join(dir, "results.json");
  const args = [RUNNER, resultsFile, ...fixtures];
  const printedFd = stdout === "file" ? openSync(join(dir, "stdout.txt"), "w") : undefined;
  const child =
    stdout === "terminal"
      ? spawn("script", ["-qec", [process.execPath, ...args].join(" "), "/dev/null"], {
          stdio: ["ignore", "pipe", "pipe"],
        })
      : spawn(process.execPath, args, {
          stdio: ["ignore", printedFd ?? "pipe", printedFd ?? "pipe"],
        });
  child.stdout?.resume();
  child.stderr?.resume();
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      if (printedFd !== undefined) closeSync(printedFd);
      try {
        resolve(JSON.parse(readFileSync(resultsFile, "utf8")) as RunnerResult);
      } catch {
        reject(new Error(`the fixture runner exited with ${code} and no results`));
      }
    });
  });
}

async function runAll(stdout: Stdout): Promise<Record<string, Failure[]>> {
  const names = Object.keys(expected);
  const chunks = Array.from({ length: CHUNKS }, (_, i) => names.filter((_, j) => j % CHUNKS === i));
  const runs = await Promise.all(chunks.map((chunk) => runFixtures(stdout, chunk)));
  for (const run of runs) expect(run.stdoutIsTTY).toBe(stdout === "terminal");
  return Object.assign({}, ...runs.map((run) => run.results));
}

describe.each<Stdout>(["pipe", "file", "terminal"])("the conformance kit, stdout a %s", (stdout) => {
  it("fails each bad fixture for its own reason and passes the good ones", async () => {
    const actual = await runAll(stdout);
    // Each difference names the fixture, the checks expected and, for the ones that failed, why.
    const differences = Object.entries(expected).flatMap(([fixture, checks]) => {
      const failed = actual[fixture] ?? [{ check: "missing", problem: "no result" }];
      const same = failed.length === checks.length && failed.every((f) => checks.includes(f.check));
      return same ? [] : [{ fixture, expected: checks, failed }];
    });
    if (differences.length > 0)
      throw new Error(`unexpected verdicts: ${JSON.stringify(differences, null, 1)}`);
  }, 180_000);
});
