// The cost of the async hook core installs on Node for a foreign exporter (destination() or a
// plugin without `neverHoldsProcess`), so that its timers and sockets never hold the process.
// The hook is process-wide and stays once installed, so each side runs in its own child process,
// alternating, and the figure is the median of the per-pair ratios of CPU time:
//   toolkit: the same discarding exporter declared `neverHoldsProcess` (no hook, as first-party plugins)
//   foreign: the same exporter given to destination() (hook installed)
// Workloads: the bench workflow (a pipe span, three LLM calls with 2 KB prompts), and the app's own
// async work while telemetry is on (awaits, setImmediate, setTimeout: what the hook sees most).
//   node bench/exporter-hook.mjs [--pairs 9]
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createTelemetry, destination } from "@pipelex/telemetry-core";
import { defineExporter, PLUGIN_API_VERSION } from "@pipelex/telemetry-core/plugin";
import { cpuNow, median } from "./measure.mjs";
import { discardingExporter, pipelexWorkflow, workflowContent } from "./workflows.mjs";

const WORKLOADS = {
  workflow: { n: 1500, make: (telemetry) => pipelexWorkflow(telemetry, workflowContent(2048)) },
  "app async work": {
    n: 20000,
    // Inside a pipe run, as an app's work is: telemetry's AsyncLocalStorage is live in both sides.
    make: (telemetry) => (i) =>
      telemetry.pipeRun({ runId: `r${i}`, pipeCode: "bench", pipeType: "PipeLLM" }, async () => {
        // One unit: 20 awaited async calls, one setImmediate, one timer set and cleared.
        for (let i = 0; i < 20; i++) await (async () => i)();
        await new Promise((resolve) => setImmediate(resolve));
        clearTimeout(setTimeout(() => {}, 1000));
      }),
  },
};

async function child(side) {
  const spec =
    side === "foreign"
      ? destination({ name: "bench", exporter: discardingExporter() })
      : defineExporter({
          name: "bench",
          apiVersion: PLUGIN_API_VERSION,
          parseOptions: () => ({}),
          secrets: () => [],
          defaultRedaction: () => [],
          describe: () => ({ sendsTo: "nowhere", receives: "full data", redacts: [] }),
          neverHoldsProcess: true,
          create: () => discardingExporter(),
        }).toDestination({});
  const telemetry = createTelemetry({ env: {}, destinations: [spec], logLevel: "silent" });
  const result = {};
  for (const [name, { n, make }] of Object.entries(WORKLOADS)) {
    const once = make(telemetry);
    for (let i = 0; i < n >> 2; i++) await once(i); // warm-up
    const times = [];
    for (let round = 0; round < 5; round++) {
      const started = cpuNow();
      for (let i = 0; i < n; i++) await once(i);
      times.push((cpuNow() - started) / n);
    }
    result[name] = median(times);
  }
  await telemetry.shutdown({ timeoutMs: 1000 });
  process.stdout.write(JSON.stringify(result));
}

function parent() {
  const pairsArg = process.argv.indexOf("--pairs");
  const pairs = pairsArg === -1 ? 9 : Number(process.argv[pairsArg + 1]);
  const script = fileURLToPath(import.meta.url);
  const runSide = (side) =>
    JSON.parse(spawnSync(process.execPath, [script, "--child", side], { encoding: "utf8" }).stdout);
  const ratios = Object.fromEntries(Object.keys(WORKLOADS).map((name) => [name, []]));
  const ns = Object.fromEntries(Object.keys(WORKLOADS).map((name) => [name, { toolkit: [], foreign: [] }]));
  for (let p = 0; p < pairs; p++) {
    const order = p % 2 === 0 ? ["toolkit", "foreign"] : ["foreign", "toolkit"];
    const got = {};
    for (const side of order) got[side] = runSide(side);
    for (const name of Object.keys(WORKLOADS)) {
      ratios[name].push(got.foreign[name] / got.toolkit[name]);
      ns[name].toolkit.push(got.toolkit[name]);
      ns[name].foreign.push(got.foreign[name]);
    }
  }
  for (const name of Object.keys(WORKLOADS)) {
    const r = ratios[name];
    console.log(
      `${`foreign exporter's async hook, ${name}`.padEnd(50)} ${median(r).toFixed(3)} x  (${(median(ns[name].foreign) / 1000).toFixed(1)} µs vs ${(median(ns[name].toolkit) / 1000).toFixed(1)} µs per unit, spread ${Math.min(...r).toFixed(3)}-${Math.max(...r).toFixed(3)}, ${pairs} process pairs)`,
    );
  }
}

const childArg = process.argv.indexOf("--child");
if (childArg === -1) parent();
else await child(process.argv[childArg + 1]);
