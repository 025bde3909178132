// Memory under a slow backend: many workflows with 2 KB prompts through the three policies,
// each destination's exporter answering only after a delay. What stays alive must be bounded by
// the queues (each holds at most maxQueueSize spans plus one batch in flight), not by the number
// of workflows; what does not fit is dropped and counted. Every span must be accounted for.
import { createTelemetry, destination } from "@pipelex/telemetry-core";
import { threePolicies } from "./variant.mjs";
import { pipelexWorkflow, workflowContent } from "./workflows.mjs";

const MiB = 1024 * 1024;
const QUEUE = 2048;
const BATCH = 512;
const EXPORT_DELAY_MS = 50;

/** An exporter that answers each batch after EXPORT_DELAY_MS; counts what it holds meanwhile. */
function slowExporter(tally) {
  return {
    export(spans, done) {
      tally.inFlight += spans.length;
      setTimeout(() => {
        tally.inFlight -= spans.length;
        tally.exported += spans.length;
        done({ code: 0 });
      }, EXPORT_DELAY_MS);
    },
    shutdown: async () => {},
  };
}

export async function measureSlowExporterMemory({ workflows }) {
  const collect = globalThis.gc;
  if (!collect)
    throw new Error("the memory measurement needs a full GC on demand: run node with --expose-gc");
  const tallies = {};
  const destinations = threePolicies((name, redact = []) => {
    tallies[name] = { inFlight: 0, exported: 0 };
    return destination({
      name,
      exporter: slowExporter(tallies[name]),
      redact,
      neverHoldsProcess: true,
      delivery: { maxQueueSize: QUEUE, maxExportBatchSize: BATCH, scheduledDelayMillis: 200 },
    });
  });
  const telemetry = createTelemetry({ env: {}, logLevel: "silent", destinations });
  const workflow = pipelexWorkflow(telemetry, workflowContent(2048));
  collect();
  const startHeap = process.memoryUsage().heapUsed;
  // Two peaks: what is kept alive (sampled right after a full GC: the bound the queues must
  // hold), and the heap as the app sees it, garbage not yet collected included.
  let peakLive = startHeap;
  let peak = startHeap;
  for (let i = 1; i <= workflows; i++) {
    await workflow(i);
    if (i % 1000 === 0) {
      // Let timers fire now and then, as a real app's event loop would between requests.
      await new Promise((resolve) => setImmediate(resolve));
      peak = Math.max(peak, process.memoryUsage().heapUsed);
      if (i % 10_000 === 0) {
        collect();
        peakLive = Math.max(peakLive, process.memoryUsage().heapUsed);
      }
    }
  }
  const spans = workflows * 4; // one pipe span and three LLM-call spans per workflow
  const stats = telemetry.stats();
  const accountedFor = Object.entries(stats).every(([name, s]) => {
    const dropped = Object.values(s.dropped).reduce((a, b) => a + b, 0);
    return s.exported + s.filtered + s.queued + tallies[name].inFlight + dropped === spans;
  });
  await telemetry.shutdown({ timeoutMs: 2000 });
  // Bound: per destination a full queue and a batch in flight, at most ~4 KiB a span (a 2 KB
  // prompt and a 1 KB completion, serialized), shared between destinations where redaction left
  // them unchanged; 64 MiB is well above that and far below keeping every span (GiBs).
  const bounded = peakLive - startHeap < 64 * MiB;
  return {
    workflows,
    spans,
    queue: QUEUE,
    exportDelayMs: EXPORT_DELAY_MS,
    stats,
    accountedFor,
    bounded,
    peakLiveGrowthMb: (peakLive - startHeap) / MiB,
    peakGrowthMb: (peak - startHeap) / MiB,
    startHeapMb: startHeap / MiB,
  };
}
