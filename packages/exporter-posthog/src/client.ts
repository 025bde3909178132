import {
  canGzip,
  DeliveryError,
  gzip,
  hostOf,
  parseRetryAfterMs,
  sliceIsOver,
  yieldToEventLoop,
} from "@pipelex/telemetry-core/plugin";
import { PostHog, type PostHogOptions } from "posthog-node";
import type { EventDraft } from "./mapper.js";

type FetchFn = NonNullable<PostHogOptions["fetch"]>;
type PersistedKey = Parameters<PostHog["getPersistedProperty"]>[0];
type QueueItem = { message?: { uuid?: unknown } } | undefined;

/** posthog-node's in-memory event queues (`ai_queue` holds `$ai_*` events in its Capture V1 mode). */
const QUEUE_KEYS = ["queue", "ai_queue"] as unknown as readonly PersistedKey[];
/** posthog-node's work for one capture runs after the slice that made it: this bounds it. */
const CAPTURES_PER_SLICE = 10;
const UUID_IN_BODY = /"uuid":"([0-9a-fA-F-]{36})"/g;

/** What one request told the ledger: the statuses and failures posthog-node only half reports. */
export interface RequestFailure {
  /** Set when PostHog answered with a non-2xx status. */
  readonly status?: number;
  readonly retryAfterMs?: number;
  /** Names the cause and the host only (a DeliveryError from the toolkit's fetch). */
  readonly error: Error;
}

export interface SendOutcome {
  /** UUIDs of the events PostHog answered 2xx for. */
  readonly delivered: ReadonlySet<string>;
  /** The last request's failure, when one failed. */
  readonly failure?: RequestFailure;
}

export interface LedgerClientOptions {
  readonly apiKey: string;
  readonly host: string;
  /** Events per request; `send` is never given more (posthog-node never batches beyond it). */
  readonly maxBatchSize: number;
  readonly geoip: boolean;
  /**
   * The toolkit's guarded fetch (timeout, shutdown and kill-switch aborts, no redirects, tracing
   * suppressed). It answers with the whole body read, or rejects with a DeliveryError.
   */
  readonly fetch: FetchFn;
}

/**
 * posthog-node, used through its public API only, with delivery accounted through its `fetch`
 * option: every request's body is read for the UUIDs it carries, and a 2xx answer marks them
 * delivered, so each event is known to be delivered or not whatever posthog-node did with it
 * (413 halving, an error that removed a batch from its queue). Settings that keep it quiet and
 * bounded: no flush timer (`flushInterval: 0`), `flushAt` above what one `send` captures (so no
 * background flush ever logs to the console behind the masking logger), no retries of its own
 * (the exporter retries with the toolkit), no feature-flag loading. posthog-node's own gzip is
 * off: the ledger reads the UUIDs from the JSON text it is handed, then gzips the body once with
 * the toolkit (Content-Encoding: gzip, as posthog-node sends it), instead of posthog-node
 * gzipping it and the ledger gunzipping it again to read it.
 */
export class LedgerClient {
  readonly posthog: PostHog;
  private readonly ledgers = new Set<{ expected: ReadonlySet<string>; outcome: MutableOutcome }>();

  constructor(private readonly options: LedgerClientOptions) {
    this.posthog = new PostHog(options.apiKey, {
      host: options.host,
      // One more than a send ever captures: the queue never reaches it, only `flush()` sends.
      flushAt: options.maxBatchSize + 1,
      maxBatchSize: options.maxBatchSize + 1,
      maxQueueSize: Math.max(1000, 2 * options.maxBatchSize + 2),
      flushInterval: 0,
      fetchRetryCount: 0,
      disableGeoip: !options.geoip,
      preloadFeatureFlags: false,
      disableCompression: true,
      fetch: (url, init) => this.accountedFetch(url, init),
    });
  }

  /**
   * Captures the drafts (at most `maxBatchSize`), waits until posthog-node queued them, flushes,
   * and resolves with the UUIDs PostHog accepted. Never rejects. Whatever was not delivered is
   * removed from posthog-node's queue, so it never goes out later behind the exporter's count.
   */
  async send(drafts: readonly EventDraft[], distinctId: string): Promise<SendOutcome> {
    const expected = new Set(drafts.map((d) => d.uuid));
    const ledger = { expected, outcome: { delivered: new Set<string>() } as MutableOutcome };
    this.ledgers.add(ledger);
    try {
      await this.captureAll(drafts, distinctId);
      await this.posthog.flush().catch(() => undefined);
      return ledger.outcome;
    } finally {
      this.ledgers.delete(ledger);
      const leftover = new Set([...expected].filter((uuid) => !ledger.outcome.delivered.has(uuid)));
      if (leftover.size > 0) this.discard(leftover);
    }
  }

  /**
   * capture() queues asynchronously; posthog-node's public `capture` event says when each is
   * queued. Captured in the toolkit's slices, and at most CAPTURES_PER_SLICE per slice: each
   * capture's own work runs as microtasks right after the slice that made it.
   */
  private async captureAll(drafts: readonly EventDraft[], distinctId: string): Promise<void> {
    const waiting = new Set(drafts.map((d) => d.uuid));
    if (waiting.size === 0) return;
    const queued = new Promise<void>((resolve) => {
      const off = this.posthog.on("capture", (message: { uuid?: unknown } | undefined) => {
        if (typeof message?.uuid === "string") waiting.delete(message.uuid);
        if (waiting.size === 0) {
          off();
          resolve();
        }
      });
    });
    let inSlice = 0;
    for (const draft of drafts) {
      if (inSlice >= CAPTURES_PER_SLICE || sliceIsOver()) {
        await yieldToEventLoop();
        inSlice = 0;
      }
      inSlice++;
      this.posthog.capture({
        distinctId,
        event: draft.event,
        properties: draft.properties,
        timestamp: draft.timestamp,
        uuid: draft.uuid,
      });
    }
    await queued;
  }

  private async accountedFetch(url: string, init: Parameters<FetchFn>[1]): ReturnType<FetchFn> {
    const text = bodyText(init);
    const uuids = this.ledgers.size > 0 ? uuidsIn(text) : [];
    try {
      const response = await this.options.fetch(url, await gzipped(init, text));
      if (response.status >= 200 && response.status < 300) {
        for (const { expected, outcome } of this.ledgers)
          for (const uuid of uuids) if (expected.has(uuid)) outcome.delivered.add(uuid);
      } else {
        const retryAfterMs = parseRetryAfterMs(response.headers?.get("retry-after"));
        this.recordFailure({
          status: response.status,
          error: new DeliveryError("HTTP status", hostOf(url), response.status),
          ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        });
      }
      return response;
    } catch (error) {
      this.recordFailure({ error: error instanceof Error ? error : new Error(String(error)) });
      throw error;
    }
  }

  private recordFailure(failure: RequestFailure): void {
    for (const { outcome } of this.ledgers) outcome.failure = failure;
  }

  /** Removes events from posthog-node's queues without sending them. */
  discard(uuids: ReadonlySet<string>): void {
    for (const key of QUEUE_KEYS) {
      const queue = this.posthog.getPersistedProperty(key) as QueueItem[] | undefined;
      if (!queue?.length) continue;
      this.posthog.setPersistedProperty(
        key,
        queue.filter((item) => {
          const uuid = item?.message?.uuid;
          return typeof uuid !== "string" || !uuids.has(uuid);
        }),
      );
    }
  }

  /** Empties posthog-node's queues without sending them (kill switch). */
  discardAll(): void {
    for (const key of QUEUE_KEYS) this.posthog.setPersistedProperty(key, []);
  }

  /** Events waiting in posthog-node's queues. */
  queuedCount(): number {
    let count = 0;
    for (const key of QUEUE_KEYS)
      count += (this.posthog.getPersistedProperty(key) as QueueItem[] | undefined)?.length ?? 0;
    return count;
  }

  shutdown(timeoutMs: number): Promise<void> {
    return this.posthog.shutdown(timeoutMs);
  }
}

type MutableOutcome = { delivered: Set<string>; failure?: RequestFailure };

/** The JSON text of a batch request (posthog-node hands it over as a string, compression off). */
function bodyText(init: Parameters<FetchFn>[1]): string {
  const body = init.body;
  if (body === undefined) return "";
  return typeof body === "string" ? body : body instanceof Uint8Array ? new TextDecoder().decode(body) : "";
}

/** The UUIDs a batch request carries. */
function uuidsIn(text: string): string[] {
  return [...text.matchAll(UUID_IN_BODY)].map((m) => m[1]!);
}

/** The request with its body gzipped (where the runtime can), as posthog-node would send it. */
async function gzipped(init: Parameters<FetchFn>[1], text: string): Promise<Parameters<FetchFn>[1]> {
  if (text === "" || !canGzip()) return init;
  const body = (await gzip(text)) as Uint8Array & { buffer: ArrayBuffer };
  return { ...init, headers: { ...init.headers, "Content-Encoding": "gzip" }, body };
}
