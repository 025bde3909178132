import { PostHog, type PostHogOptions } from "posthog-node";
import type { EventDraft } from "./mapper.js";

type FetchFn = NonNullable<PostHogOptions["fetch"]>;
type PersistedKey = Parameters<PostHog["getPersistedProperty"]>[0];
type QueueItem = { message?: { uuid?: unknown } } | undefined;

/** posthog-node's in-memory event queues (`ai_queue` holds `$ai_*` events in its Capture V1 mode). */
const QUEUE_KEYS = ["queue", "ai_queue"] as unknown as readonly PersistedKey[];

export interface SendOutcome {
  /** UUIDs of the events PostHog answered 2xx for. */
  readonly delivered: ReadonlySet<string>;
  /** Why the flush stopped, when it did. */
  readonly error?: unknown;
}

export interface TrackedClientOptions {
  readonly apiKey: string;
  readonly host: string;
  readonly maxBatchSize: number;
  /** posthog-node's own queue bound; it drops the oldest event silently beyond it. */
  readonly maxQueueSize: number;
  readonly requestTimeout: number;
  readonly geoip: boolean;
  /** Aborts every request in flight (shutdown deadline, kill switch, export budget). */
  readonly signal: () => AbortSignal;
  readonly fetch?: FetchFn;
}

function uuidOf(message: unknown): string | undefined {
  const uuid = (message as { uuid?: unknown } | undefined)?.uuid;
  return typeof uuid === "string" ? uuid : undefined;
}

/**
 * posthog-node, with what this exporter needs to report delivery truthfully:
 * - `sendBatch` (posthog-node's transport seam) records the UUIDs of every batch PostHog
 *   accepted, so each event is known to be delivered or not, whatever posthog-node did with it
 *   (413 halving, a silent oldest-first drop, an error that removed a batch from its queue);
 * - `flushAutomatic` is off: only the exporter flushes, so no background flush logs to the
 *   console behind the masking logger, and no timer is left running;
 * - requests carry the exporter's abort signal and `Connection: close`, so shutdown and the
 *   kill switch stop them at once and no idle socket outlives telemetry;
 * - posthog-node's own retries are off: the exporter retries what was not delivered, with
 *   exponential backoff, jitter and Retry-After.
 */
export class TrackedPostHog extends PostHog {
  private readonly ledgers = new Set<(uuids: readonly string[]) => void>();

  constructor(options: TrackedClientOptions) {
    const baseFetch: FetchFn =
      options.fetch ?? ((url, init) => globalThis.fetch(url, init as RequestInit) as never);
    super(options.apiKey, {
      host: options.host,
      // Never reached by a flushAt trigger: flushAutomatic is off; kept <= maxBatchSize, which
      // posthog-node raises to flushAt otherwise.
      flushAt: options.maxBatchSize,
      maxBatchSize: options.maxBatchSize,
      maxQueueSize: options.maxQueueSize,
      flushInterval: 0,
      fetchRetryCount: 0,
      requestTimeout: options.requestTimeout,
      disableGeoip: !options.geoip,
      preloadFeatureFlags: false,
      fetch: (url, init) => {
        const signals = [options.signal(), init.signal].filter((s): s is AbortSignal => s !== undefined);
        const headers = { ...(init.headers as Record<string, string> | undefined), Connection: "close" };
        return baseFetch(url, { ...init, headers, signal: anySignal(signals) });
      },
    });
  }

  protected override flushAutomatic(): Promise<void> {
    return Promise.resolve();
  }

  protected override async sendBatch(...args: Parameters<TrackedPostHog["superSendBatch"]>): Promise<void> {
    await this.superSendBatch(...args);
    const uuids = args[0].map(uuidOf).filter((u): u is string => u !== undefined);
    for (const ledger of this.ledgers) ledger(uuids);
  }

  /** posthog-node's `sendBatch`, typed loosely: its parameter types live in @posthog/core. */
  private superSendBatch(messages: readonly unknown[], ...rest: unknown[]): Promise<void> {
    return (super.sendBatch as (...a: unknown[]) => Promise<void>).call(this, messages, ...rest);
  }

  /**
   * Enqueues the drafts and flushes; resolves with the UUIDs PostHog accepted. Never rejects:
   * a failed flush is reported in `error`, and what it did not deliver stays out of `delivered`.
   */
  async send(
    drafts: readonly EventDraft[],
    distinctId: string,
    extra: Readonly<Record<string, unknown>>,
  ): Promise<SendOutcome> {
    const expected = new Set(drafts.map((d) => d.uuid));
    const delivered = new Set<string>();
    const ledger = (uuids: readonly string[]) => {
      for (const uuid of uuids) if (expected.has(uuid)) delivered.add(uuid);
    };
    this.ledgers.add(ledger);
    try {
      for (const draft of drafts) {
        this.capture({
          distinctId,
          event: draft.event,
          properties: { ...draft.properties, ...extra },
          timestamp: draft.timestamp,
          uuid: draft.uuid,
        });
      }
      // Waits for the captures above to reach the queue, then flushes it.
      await this.flushWithPendingPromises();
      return { delivered };
    } catch (error) {
      return { delivered, error };
    } finally {
      this.ledgers.delete(ledger);
    }
  }

  /** Removes events from posthog-node's queues without sending them. */
  discard(uuids: ReadonlySet<string>): void {
    for (const key of QUEUE_KEYS) {
      const queue = this.getPersistedProperty(key) as QueueItem[] | undefined;
      if (!queue?.length) continue;
      this.setPersistedProperty(
        key,
        queue.filter((item) => {
          const uuid = uuidOf(item?.message);
          return uuid === undefined || !uuids.has(uuid);
        }),
      );
    }
  }

  /** Empties posthog-node's queues without sending them (kill switch). */
  discardAll(): void {
    for (const key of QUEUE_KEYS) this.setPersistedProperty(key, []);
  }

  /** Events waiting in posthog-node's queues. */
  queuedCount(): number {
    let count = 0;
    for (const key of QUEUE_KEYS)
      count += (this.getPersistedProperty(key) as QueueItem[] | undefined)?.length ?? 0;
    return count;
  }
}

/** `AbortSignal.any` where the runtime has it (Node >= 20.3, modern edge runtimes). */
function anySignal(signals: AbortSignal[]): AbortSignal | undefined {
  if (signals.length <= 1) return signals[0];
  const any = (AbortSignal as { any?: (s: AbortSignal[]) => AbortSignal }).any;
  if (any) return any(signals);
  const controller = new AbortController();
  for (const signal of signals) {
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    signal.addEventListener("abort", () => controller.abort(signal.reason), { once: true });
  }
  return controller.signal;
}
