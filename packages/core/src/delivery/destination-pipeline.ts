import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import type { KillSwitch } from "../kill-switch/kill-switch.js";
import { sliceIsOver, yieldToEventLoop } from "../plugin/delivery/slices.js";
import { RateLimitedWarning, type TelemetryLogger } from "../plugin/logger.js";
import type { Redactor } from "../redaction/redactor.js";
import { exportWithTimeout, settlesWithin, unrefTimer } from "./export-with-timeout.js";
import type { ResolvedDeliveryOptions } from "./options.js";
import { type DestinationShutdownReport, type DestinationStats, emptyStats } from "./stats.js";

/**
 * One destination's delivery: a bounded queue, batching on a timer, per-span redaction on the
 * destination's own copy (fail closed), the kill-switch guard before every export, and a
 * shutdown that never outlives its deadline. Exporters are called one batch at a time, or up to
 * `maxConcurrentExports` at once while the queue holds more than a full batch. Nothing of it
 * runs in the app's own task: a full queue starts the export at a later turn, and redaction
 * runs in slices (`plugin/delivery/slices.ts`).
 */
export class DestinationPipeline {
  private queue: ReadableSpan[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private draining: Promise<void> | undefined;
  /** The batches being redacted or exported; `counted` once shutdown or exit gave up on them. */
  private readonly inFlight = new Set<BatchTicket>();
  /** The batches being redacted: off the queue, not yet the exporter's, so still counted as queued. */
  private readonly redacting = new Set<BatchTicket>();
  private stopped = false;
  /** Set once `shutdown` finished or gave up: later flushes return at once. */
  private shutDown = false;
  /** Spans enqueued so far, and that count when the last exit flush ran (one flush per new work). */
  private enqueued = 0;
  private exitFlushedAt = -1;
  private readonly counts: DestinationStats = emptyStats();
  private readonly queueFullWarning: RateLimitedWarning;
  private readonly redactionWarning: RateLimitedWarning;
  private readonly exportWarning: RateLimitedWarning;

  constructor(
    readonly name: string,
    private readonly exporter: SpanExporter,
    private readonly redactor: Redactor | undefined,
    private readonly options: ResolvedDeliveryOptions,
    private readonly killSwitch: KillSwitch,
    private readonly logger: TelemetryLogger,
    private readonly abortController: AbortController,
  ) {
    this.queueFullWarning = new RateLimitedWarning(logger);
    this.redactionWarning = new RateLimitedWarning(logger);
    this.exportWarning = new RateLimitedWarning(logger);
  }

  /** Hot path: called for every ended span. Never throws, never blocks. */
  enqueue(span: ReadableSpan): void {
    if (this.stopped) return;
    if (this.queue.length >= this.options.maxQueueSize) {
      this.counts.dropped.queueFull++;
      this.queueFullWarning.warn(
        `destination "${this.name}": queue full (${this.options.maxQueueSize} spans), dropping new spans; total dropped so far: ${this.counts.dropped.queueFull}`,
      );
      return;
    }
    this.queue.push(span);
    this.enqueued++;
    if (this.queue.length >= this.options.exportTriggerSize) {
      if (!this.draining) void this.drain();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.drain();
      }, this.options.scheduledDelayMillis);
      unrefTimer(this.timer);
    }
  }

  stats(): DestinationStats {
    let queued = this.queue.length;
    for (const ticket of this.redacting) if (!ticket.counted) queued += ticket.size;
    return { ...this.counts, queued, dropped: { ...this.counts.dropped } };
  }

  /**
   * Exports everything queued now, then asks the exporter to flush its own buffers. Bounded: each
   * export and the exporter's flush get `exportTimeoutMillis`.
   */
  async forceFlush(): Promise<void> {
    // After shutdown (or once it gave up) there is nothing to flush, and nothing may hold the process.
    if (this.abortController.signal.aborted || this.shutDown) return;
    this.clearTimer();
    const batches = Math.max(1, Math.ceil(this.queue.length / this.options.maxExportBatchSize));
    // Disarmed by shutdown's deadline and the kill switch (the abort signal): no wait outlives them.
    const disarm = this.abortController.signal;
    await settlesWithin(this.drain(), (batches + 1) * this.options.exportTimeoutMillis, {
      holdProcess: true,
      signal: disarm,
    });
    if (this.exporter.forceFlush && !this.killSwitch.isEngaged() && !disarm.aborted) {
      await settlesWithin(
        this.exporter.forceFlush().catch((error: unknown) => this.warnExport(error)),
        this.options.exportTimeoutMillis,
        { holdProcess: true, signal: disarm },
      );
    }
  }

  /** Flushes and shuts the exporter down; gives up at `deadline` (epoch ms), aborting in-flight work. */
  async shutdown(deadline: number): Promise<DestinationShutdownReport> {
    const work = (async () => {
      await this.forceFlush();
      this.stopped = true;
      this.shutDown = true;
      await this.exporter.shutdown();
    })().catch((error: unknown) => this.warnExport(error));
    const finished = await settlesWithin(work, deadline - Date.now(), { holdProcess: true });
    this.shutDown = true;
    if (!finished) {
      const lost = this.queue.length + this.takeInFlight();
      this.counts.dropped.shutdownTimeout += lost;
      this.logger.warn(`destination "${this.name}": shutdown timed out; ${lost} span(s) not delivered`);
      this.stop();
      this.exporter.shutdown().catch(() => {});
    }
    this.stopped = true;
    const dropped = { ...this.counts.dropped };
    return {
      exported: this.counts.exported,
      notDelivered: Object.values(dropped).reduce((sum, n) => sum + n, 0),
      dropped,
      timedOut: !finished,
    };
  }

  /**
   * The process is about to exit without `shutdown()`: export what is queued and let the exporter
   * flush its own buffer, for at most `ms` in all (the caller holds the event loop that long),
   * then count what is still queued or in flight as `processExit`. Runs once per new work, so an
   * exit it cannot finish does not loop.
   */
  needsExitFlush(): boolean {
    return (
      !this.stopped &&
      !this.shutDown &&
      this.enqueued > 0 &&
      (this.queue.length > 0 || this.inFlight.size > 0 || typeof this.exporter.forceFlush === "function") &&
      this.exitFlushedAt !== this.enqueued
    );
  }

  async flushAtExit(ms: number): Promise<void> {
    if (!this.needsExitFlush()) return;
    this.exitFlushedAt = this.enqueued;
    this.clearTimer();
    const deadline = Date.now() + ms;
    const finished = await settlesWithin(this.drain(), ms, {
      holdProcess: true,
      signal: this.abortController.signal,
    });
    if (!finished) {
      this.countAtExit();
      return;
    }
    // An exporter that buffers spans itself (it answered `export` at once) sends them now, in
    // what is left of the bound: nothing of ours would otherwise ever ask it to.
    if (this.exporter.forceFlush && !this.killSwitch.isEngaged()) {
      await settlesWithin(
        this.exporter.forceFlush().catch(() => {}),
        deadline - Date.now(),
        { holdProcess: true, signal: this.abortController.signal },
      );
    }
  }

  /** The process is ending: whatever is still queued or in flight is counted as `processExit`. */
  countAtExit(): void {
    if (this.stopped || this.shutDown) return;
    const lost = this.queue.length + this.takeInFlight();
    if (lost === 0) return;
    this.queue = [];
    this.counts.dropped.processExit += lost;
    this.logger.warn(
      `destination "${this.name}": the process is exiting without shutdown(); ${lost} span(s) not delivered`,
    );
  }

  /** Counts the batches in flight as given up on (once) and returns how many spans they hold. */
  private takeInFlight(): number {
    let spans = 0;
    for (const ticket of this.inFlight) {
      if (!ticket.counted) spans += ticket.size;
      ticket.counted = true;
    }
    return spans;
  }

  /** Kill switch: queued data is dropped and counted; nothing more is sent. */
  dropEverything(): void {
    this.counts.dropped.killSwitch += this.queue.length;
    this.stop();
  }

  private stop(): void {
    this.stopped = true;
    this.queue = [];
    this.clearTimer();
    this.abortController.abort();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Exports until the queue is empty: one batch at a time, and another one alongside (up to
   * `maxConcurrentExports`) only while a full batch is waiting, so light traffic still goes
   * out in few, full requests.
   */
  private drain(): Promise<void> {
    this.draining ??= (async () => {
      const running = new Set<Promise<void>>();
      try {
        // Never in the task that filled the queue: that is the app's own work.
        await yieldToEventLoop();
        while (!this.stopped && (this.queue.length > 0 || running.size > 0)) {
          while (
            !this.stopped &&
            this.queue.length > 0 &&
            running.size < this.options.maxConcurrentExports &&
            (running.size === 0 || this.queue.length >= this.options.maxExportBatchSize)
          ) {
            const exporting: Promise<void> = this.exportBatch().finally(() => running.delete(exporting));
            running.add(exporting);
          }
          if (running.size > 0) await Promise.race(running);
        }
        // Stopped mid-way: the exports already started still settle (bounded by their timeout).
        await Promise.all(running);
      } finally {
        this.draining = undefined;
      }
    })();
    return this.draining;
  }

  private async exportBatch(): Promise<void> {
    // In flight from here: shutdown or exit giving up while it is redacted still counts it.
    const ticket: BatchTicket = { size: 0, counted: false };
    this.inFlight.add(ticket);
    try {
      const started = await this.startExport(ticket);
      if (started === undefined) return;
      const { size } = started;
      const result = await started.result;
      if (ticket.counted) return; // shutdown already reported it as not delivered
      if (result.code === ExportResultCode.SUCCESS) {
        this.counts.exported += size;
      } else {
        this.counts.dropped.exportFailed += size;
        this.warnExport(result.error, size);
      }
    } finally {
      this.inFlight.delete(ticket);
    }
  }

  /**
   * Redacts the next batch and hands it to the exporter. The batch is not held past this call
   * while the export is in flight: the exporter may let go of the spans once it serialized them,
   * and spans kept alive for a round trip only lengthen every GC pause of the app.
   */
  private async startExport(
    ticket: BatchTicket,
  ): Promise<{ size: number; result: Promise<ExportResult> } | undefined> {
    const outgoing = await this.prepareBatch(ticket);
    if (outgoing === undefined) return undefined;
    return {
      size: outgoing.length,
      result: exportWithTimeout(this.exporter, outgoing, this.options.exportTimeoutMillis),
    };
  }

  /** The next batch off the queue, redacted; undefined when nothing is left to export. */
  private async prepareBatch(ticket: BatchTicket): Promise<ReadableSpan[] | undefined> {
    const batch = this.queue.splice(0, this.options.maxExportBatchSize);
    ticket.size = batch.length;
    this.redacting.add(ticket);
    let outgoing: ReadableSpan[];
    try {
      outgoing = this.redactor ? await this.redactBatch(batch, ticket) : batch;
    } finally {
      this.redacting.delete(ticket);
    }
    if (ticket.counted || outgoing.length === 0) return undefined;
    // The guard every export goes through: a plugin cannot send once the switch is set.
    if (this.killSwitch.isEngaged()) {
      this.counts.dropped.killSwitch += outgoing.length;
      return undefined;
    }
    // Shutdown ended while this batch was redacted: the exporter is shut down, the batch is lost.
    if (this.shutDown) {
      this.counts.dropped.shutdownTimeout += outgoing.length;
      return undefined;
    }
    return outgoing;
  }

  /**
   * Each span through the redactor, in slices. A span filtered or dropped leaves the ticket (it
   * is counted here); once shutdown or exit counted the ticket, the rest is left alone.
   */
  private async redactBatch(batch: ReadableSpan[], ticket: BatchTicket): Promise<ReadableSpan[]> {
    const redactor = this.redactor!;
    const outgoing: ReadableSpan[] = [];
    // Indexed: a for-of that awaits inside allocates an iterator result per span (40 B, bench/alloc.mjs).
    for (let i = 0; i < batch.length; i++) {
      const span = batch[i]!;
      if (sliceIsOver()) {
        await yieldToEventLoop();
        if (ticket.counted) return [];
      }
      try {
        const redacted = redactor(span);
        if (redacted !== null) {
          outgoing.push(redacted);
          continue;
        }
        this.counts.filtered++;
      } catch (error) {
        // Fail closed: this destination does not get the span; the others are unaffected.
        this.counts.dropped.redactionError++;
        this.redactionWarning.warn(
          `destination "${this.name}": a redactor threw (${errorName(error)}); the span was dropped for this destination`,
        );
      }
      ticket.size--;
    }
    return outgoing;
  }

  private warnExport(error: unknown, spans?: number): void {
    const what = spans === undefined ? "" : `${spans} span(s) `;
    // Only the error's class and message: exporters' messages name URLs, never bodies; the logger masks secrets.
    this.exportWarning.warn(
      `destination "${this.name}": export of ${what}failed: ${errorName(error)}${error instanceof Error && error.message ? `: ${error.message}` : ""}`,
    );
  }
}

/** A batch taken off the queue: `size` spans not yet accounted for, `counted` once given up on. */
interface BatchTicket {
  size: number;
  counted: boolean;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
