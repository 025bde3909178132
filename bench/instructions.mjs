// pnpm bench:instructions: the same comparisons as run.mjs, counted in CPU instructions under
// valgrind's callgrind, which does not depend on what else the machine is doing. Each variant
// runs twice (N and 3N workflows); the difference divided by 2N is its steady-state cost per
// workflow, with start-up and most JIT compilation cancelled out. Takes a few minutes.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);
const N = Number(process.env.BENCH_N ?? 10_000);
const here = new URL(".", import.meta.url).pathname;

async function instructions(variant, count) {
  const { stderr } = await run(
    "valgrind",
    [
      "--tool=callgrind",
      "--callgrind-out-file=/dev/null",
      process.execPath,
      "variant.mjs",
      variant,
      String(count),
    ],
    { cwd: here, maxBuffer: 1 << 24 },
  );
  const match = /Collected : (\d+)/.exec(stderr);
  if (!match) throw new Error(`no instruction count for ${variant}: ${stderr.slice(-500)}`);
  return Number(match[1]);
}

async function perWorkflow(variant) {
  const [small, large] = await Promise.all([instructions(variant, N), instructions(variant, 3 * N)]);
  return (large - small) / (2 * N);
}

try {
  await run("valgrind", ["--version"]);
} catch {
  console.error("valgrind is not installed (apt-get install valgrind); nothing measured");
  process.exit(2);
}

const cost = {};
for (const variant of ["baseline", "one", "three", "bare", "killed"])
  cost[variant] = await perWorkflow(variant);

const rows = [
  ["one destination, no redaction", "one", "baseline", 1.25],
  ["three destinations, three redaction policies", "three", "baseline", 1.6],
  ["kill switch set (vs no telemetry at all)", "killed", "bare", 1.05],
];
console.log(`Instructions per workflow (callgrind, steady state over ${2 * N} workflows)\n`);
for (const [label, candidate, base, budget] of rows) {
  const ratio = cost[candidate] / cost[base];
  console.log(
    `${ratio <= budget ? "PASS" : "OVER"}  ${label.padEnd(46)} ${Math.round(cost[candidate]).toLocaleString("en").padStart(8)} vs ${Math.round(cost[base]).toLocaleString("en").padStart(8)}  ratio ${ratio.toFixed(3)}  (budget ${budget}x)`,
  );
}
