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
  globalThis.gc?.();
  const startHeap = process.memoryUsage().heapUsed;
  let peak = startHeap;
  const info = { runId: "run-1", pipeCode: "summarize", pipeType: "PipeLLM" };
  for (let i = 0; i < spans; i++) {
    telemetry.pipeRun(info, () => i);
    if (i % 10_000 === 0) {
      await new Promise((resolve) => setImmediate(resolve)); // let batches start, like a real app's event loop
      if (i % 100_000 === 0) globalThis.gc?.();
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
  }
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  const stats = telemetry.stats().stuck;
  const accountedFor = stats.exported + stats.queued + inFlight + stats.dropped.queueFull === spans;
  // Bounded: the peak grows by far less than the spans would need if kept (about 1 KiB each).
  const bounded = peak - startHeap < 64 * MiB;
  await telemetry.shutdown({ timeoutMs: 10 });
  return {
    spans,
    queueSize,
    stats,
    inFlight,
    accountedFor,
    bounded,
    peakHeapMb: peak / MiB,
    startHeapMb: startHeap / MiB,
  };
}
