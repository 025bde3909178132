// The benchmark's variants, shared by run.mjs; `node variant.mjs NAME N` runs one N times and
// exits, for profiling one variant alone (e.g. under --cpu-prof).
import {
  createTelemetry,
  destination,
  dropContent,
  maskPatterns,
  redactClassNames,
  redactPipeCodes,
} from "@pipelex/telemetry-core";
import {
  bareWorkflow,
  createBaseline,
  discardingExporter,
  NO_TELEMETRY_CALL,
  pipelexWorkflow,
} from "./workflows.mjs";

const d = (name, redact = []) => destination({ name, exporter: discardingExporter(), redact });

export const VARIANTS = {
  baseline: () => createBaseline(),
  one: () => pipelex([d("full")]),
  three: () =>
    pipelex([
      d("full"),
      d("posthog-default", [dropContent(), redactPipeCodes(), redactClassNames()]),
      d("mine", [dropContent(), maskPatterns()]),
    ]),
  bare: () => ({ workflow: bareWorkflow, flush: async () => {} }),
  killed: () => pipelex([d("full")], { DO_NOT_TRACK: "1" }),
  // The app's side of the kill-switch cost: the same callbacks, through two plain functions.
  closures: () => ({ workflow: pipelexWorkflow(PLAIN_FUNCTIONS), flush: async () => {} }),
};

const PLAIN_FUNCTIONS = { pipeRun: (_info, fn) => fn(), inference: (_info, fn) => fn(NO_TELEMETRY_CALL) };

function pipelex(destinations, env = {}) {
  const telemetry = createTelemetry({ env, destinations, logLevel: "silent" });
  return { workflow: pipelexWorkflow(telemetry), flush: () => telemetry.forceFlush() };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [name, count] = process.argv.slice(2);
  const { workflow, flush } = VARIANTS[name]();
  for (let i = 0; i < Number(count); i++) await workflow(i);
  await flush();
}
