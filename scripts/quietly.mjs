// Runs one step of a root script and shows only its outcome: `✓ build (12.4 s)`. Its output is
// kept and printed in full only if the step fails. On a terminal a status line shows progress
// (the task turbo is on); in CI nothing is printed until the step ends.
//   node scripts/quietly.mjs [--no-success-line] <label> -- <command> [args...]
// --no-success-line: print nothing at all when the step succeeds (the demo's build).
import { spawn } from "node:child_process";

const separator = process.argv.indexOf("--");
const flags = process.argv.slice(2, separator);
const successLine = !flags.includes("--no-success-line");
const label = flags.filter((f) => f !== "--no-success-line").join(" ");
const [command, ...args] = process.argv.slice(separator + 1);
if (separator < 0 || !label || !command) {
  console.error("usage: node scripts/quietly.mjs <label> -- <command> [args...]");
  process.exit(2);
}

const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const live = process.stdout.isTTY === true;
const output = [];
let current = "";
const status = (text) => live && process.stdout.write(`\r\x1b[2K${text}`);

const child = spawn(command, args, {
  stdio: ["ignore", "pipe", "pipe"],
  // On a terminal, tools keep their colours in the log we may print.
  env: live ? { ...process.env, FORCE_COLOR: "1" } : process.env,
});
const collect = (chunk) => {
  output.push(chunk);
  // turbo prefixes each task's lines with `package:task:`; show which one is running.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips colour codes before matching
  const plain = chunk.toString().replace(/\x1b\[[0-9;]*m/g, "");
  const task = /(?:^|\n)([@\w./-]+:[\w:-]+): /.exec(plain)?.[1];
  if (task) current = task;
};
child.stdout.on("data", collect);
child.stderr.on("data", collect);
const timer = live
  ? setInterval(() => status(`… ${label} ${seconds()}${current ? `  ${current}` : ""}`), 250)
  : undefined;

child.on("error", (error) => {
  clearInterval(timer);
  status("");
  console.log(`✗ ${label}: cannot run ${command} (${error.code ?? error.message})`);
  process.exit(1);
});
child.on("close", (code, signal) => {
  clearInterval(timer);
  status("");
  if (code === 0) {
    if (successLine) console.log(`✓ ${label} (${seconds()})`);
    return;
  }
  process.stdout.write(Buffer.concat(output));
  console.log(`\n✗ ${label} failed (${signal ?? `exit ${code}`}, ${seconds()})`);
  process.exit(code ?? 1);
});
