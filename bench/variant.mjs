// The benchmark's variants, shared by run.mjs; `node variant.mjs NAME N [PROMPT_BYTES]` runs one
// N times and exits, for profiling one variant alone (e.g. under --cpu-prof).
import {
  createTelemetry,
  destination,
  dropContent,
  maskPatterns,
  redactPipeCodes,
} from "@pipelex/telemetry-core";
import {
  bareWorkflow,
  createBaseline,
  discardingExporter,
  NO_TELEMETRY_CALL,
  pipelexWorkflow,
  workflowContent,
} from "./workflows.mjs";

// Declared `neverHoldsProcess` (it holds nothing), as every first-party plugin is: the figure is
// core's own cost, without the handle hook core adds for an exporter it knows nothing about
// (bench/exporter-hook.mjs measures that separately).
const d = (name, redact = []) =>
  destination({ name, exporter: discardingExporter(), redact, neverHoldsProcess: true });

/** The three policies: full data; dropContent + redactPipeCodes; maskPatterns. */
export const threePolicies = (make = d) => [
  make("full"),
  make("no-content", [dropContent(), redactPipeCodes()]),
  make("masked", [maskPatterns()]),
];

export function variants(promptBytes) {
  const content = workflowContent(promptBytes);
  return {
    baseline: () => createBaseline(content),
    one: () => pipelex([d("full")], content),
    three: () => pipelex(threePolicies(), content),
    bare: () => ({ workflow: bareWorkflow(content), flush: async () => {} }),
    killed: () => pipelex([d("full")], content, { DO_NOT_TRACK: "1" }),
    // The app's side of the kill-switch cost: the same callbacks, through two plain functions.
    closures: () => ({ workflow: pipelexWorkflow(PLAIN_FUNCTIONS, content), flush: async () => {} }),
  };
}

const PLAIN_FUNCTIONS = { pipeRun: (_info, fn) => fn(), inference: (_info, fn) => fn(NO_TELEMETRY_CALL) };

function pipelex(destinations, content, env = {}) {
  const telemetry = createTelemetry({ env, destinations, logLevel: "silent" });
  return { workflow: pipelexWorkflow(telemetry, content), flush: () => telemetry.forceFlush() };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [name, count, bytes = "2048"] = process.argv.slice(2);
  const { workflow, flush } = variants(Number(bytes))[name]();
  for (let i = 0; i < Number(count); i++) await workflow(i);
  await flush();
}
