// 1,000,000 spans through a destination whose exporter never calls back: memory must stay
// bounded by the queue, and every span must be accounted for (queued, in flight or dropped).
import { createTelemetry, destination } from "@pipelex/telemetry-core";

const MiB = 1024 * 1024;

export async function measureHangingExporterHeap({ spans }) {
  let inFlight = 0;
  const neverReturns = {
    export(batch) {
      inFlight += batch.length; // never calls back
    },
    shutdown: () => new Promise(() => {}),
  };
  const queueSize = 2048;
  const telemetry = createTelemetry({
    env: {},
    logLevel: "silent",
    destinations: [
      destination({ name: "stuck", exporter: neverReturns, delivery: { maxQueueSize: queueSize } }),
    ],
  });
  const collect = globalThis.gc;
  if (!collect) throw new Error("the heap measurement needs a full GC on demand: run node with --expose-gc");
  collect();
  const startHeap = process.memoryUsage().heapUsed;
  // Two peaks: what is kept alive (sampled right after a full GC: the bound the queue must
  // hold), and the heap as the app would see it, garbage not yet collected included (which
  // depends on when V8 happens to collect, so it varies between runs).
  let peakLive = startHeap;
  let peak = startHeap;
  const info = { runId: "run-1", pipeCode: "summarize", pipeType: "PipeLLM" };
  for (let i = 0; i < spans; i++) {
    telemetry.pipeRun(info, () => i);
    if (i % 10_000 === 0) {
      await new Promise((resolve) => setImmediate(resolve)); // let batches start, like a real app's event loop
      peak = Math.max(peak, process.memoryUsage().heapUsed);
      if (i % 50_000 === 0) {
        collect();
        peakLive = Math.max(peakLive, process.memoryUsage().heapUsed);
      }
    }
  }
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  collect();
  peakLive = Math.max(peakLive, process.memoryUsage().heapUsed);
  const stats = telemetry.stats().stuck;
  const accountedFor = stats.exported + stats.queued + inFlight + stats.dropped.queueFull === spans;
  // Bounded: what is kept alive grows by far less than the spans would need if kept (about
  // 1 KiB each, so 1 GiB for a million); the queue's 2048 spans need a few MiB.
  const bounded = peakLive - startHeap < 16 * MiB && peak - startHeap < 256 * MiB;
  await telemetry.shutdown({ timeoutMs: 10 });
  return {
    spans,
    queueSize,
    stats,
    inFlight,
    accountedFor,
    bounded,
    peakHeapMb: peak / MiB,
    peakLiveHeapMb: peakLive / MiB,
    startHeapMb: startHeap / MiB,
  };
}
