// The test command's summary: one line per package (from the vitest JSON report each package
// writes, see vitest.shared.ts), then the closing `Tests: N passed, N failed` line summed over
// all of them. Exits 1 if any test failed or none ran.
//   node scripts/test-summary.mjs          print the summary
//   node scripts/test-summary.mjs --reset  delete the previous run's reports (first step of `pnpm test`)
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const packageDirs = ["packages", "examples", "tools"]
  .flatMap((group) =>
    existsSync(join(root, group))
      ? readdirSync(join(root, group)).map((name) => join(root, group, name))
      : [],
  )
  .filter((dir) => existsSync(join(dir, "package.json")));
const reportOf = (dir) => join(dir, ".tmp", "vitest-results.json");

if (process.argv.includes("--reset")) {
  for (const dir of packageDirs) rmSync(reportOf(dir), { force: true });
  process.exit(0);
}

const rows = [];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const dir of packageDirs.filter((d) => existsSync(reportOf(d)))) {
  const report = JSON.parse(readFileSync(reportOf(dir), "utf8"));
  const files = report.testResults ?? [];
  // Wall time of the package's run: from vitest's start to its last file's end.
  const ms = Math.max(0, ...files.map((f) => f.endTime ?? 0)) - (report.startTime ?? Date.now());
  const row = {
    name: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name ?? relative(root, dir),
    files: files.length,
    passed: report.numPassedTests ?? 0,
    failed: report.numFailedTests ?? 0,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
    seconds: ms / 1000,
  };
  rows.push(row);
  passed += row.passed;
  failed += row.failed;
  skipped += row.skipped;
}

const width = Math.max(0, ...rows.map((r) => r.name.length));
console.log("Tests by package");
for (const r of rows) {
  const counts = `${String(r.passed).padStart(4)} passed${r.failed ? `, ${r.failed} FAILED` : ""}${r.skipped ? `, ${r.skipped} skipped` : ""}`;
  console.log(
    `  ${r.name.padEnd(width)}  ${String(r.files).padStart(3)} files ${counts}  ${r.seconds.toFixed(1).padStart(6)} s`,
  );
}
console.log(`Tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
if (failed > 0 || passed === 0) process.exit(1);
