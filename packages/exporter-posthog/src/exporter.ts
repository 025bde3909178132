import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import { createHttpTransport, type ExporterContext, withRetry } from "@pipelex/telemetry-core/plugin";
import type { PostHogOptions } from "posthog-node";
import { LedgerClient } from "./client.js";
import { randomDistinctId } from "./ids.js";
import { type EventDraft, SpanEventMapper } from "./mapper.js";
import type { ResolvedPosthogSettings } from "./options.js";
import { isRetryable, posthogRetryPolicy } from "./retry.js";

/** An export that did not reach PostHog; the message holds counts and a cause, never data. */
export class PosthogDeliveryError extends Error {
  override readonly name = "PosthogDeliveryError";
}

/** How long posthog-node's own shutdown may take once the exporter is done (its queue is empty then). */
const CLIENT_SHUTDOWN_MS = 1000;
/**
 * Requests to PostHog in flight at once for this destination (one posthog-node client each, as
 * a client sends its batches one after the other). With posthog-node's 100 events per request
 * this is what keeps up with heavy traffic: 12 x 100 events per round trip.
 */
export const MAX_CONCURRENT_REQUESTS = 12;

export interface PosthogExporterDeps {
  /** Replaces the network under the toolkit's transport (tests); defaults to context.fetch, then globalThis.fetch. */
  readonly fetch?: typeof globalThis.fetch;
  readonly random?: () => number;
}

/**
 * A SpanExporter that sends spans to PostHog as LLM analytics events through posthog-node and
 * answers SUCCESS only once PostHog has accepted every event of the batch. Each batch is split
 * into requests of `maxBatchSize` events sent over up to MAX_CONCURRENT_REQUESTS clients, each
 * retried on its own with the delivery toolkit. Anything not delivered after the retries is
 * reported as FAILED, so core counts it in `stats().dropped.exportFailed`; it is also removed
 * from posthog-node's queue, so it is never delivered later behind that count.
 */
export class PosthogSpanExporter implements SpanExporter {
  private readonly mapper: SpanEventMapper;
  private readonly distinctId: string;
  private readonly guardedFetch: NonNullable<PostHogOptions["fetch"]>;
  private readonly clients: LedgerClient[] = [];
  private readonly idle: LedgerClient[] = [];
  private readonly waiting: ((client: LedgerClient) => void)[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly unsubscribe: () => void;
  private stopped = false;

  constructor(
    private readonly settings: ResolvedPosthogSettings,
    private readonly context: ExporterContext,
    private readonly deps: PosthogExporterDeps = {},
  ) {
    context.logger.addSecrets(settings.apiKey);
    // Anonymous mode's guard goes on every event after `redactProperties`: no option removes it.
    const identified = settings.mode === "identified";
    this.distinctId = identified ? settings.userId! : randomDistinctId();
    this.mapper = new SpanEventMapper(
      settings.redactProperties,
      identified ? {} : { $process_person_profile: false },
    );
    const transport = createHttpTransport({
      url: settings.host,
      timeoutMs: settings.requestTimeout,
      shutdownSignal: context.shutdownSignal,
      killSwitch: context.killSwitch,
      fetch: deps.fetch ?? context.fetch,
    });
    this.guardedFetch = transport.fetch as unknown as NonNullable<PostHogOptions["fetch"]>;
    this.unsubscribe = context.killSwitch.onEngage(() => this.engageKillSwitch());
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.stopped || this.context.killSwitch.isEngaged()) {
      resultCallback({
        code: ExportResultCode.FAILED,
        error: new PosthogDeliveryError("the PostHog exporter is stopped"),
      });
      return;
    }
    const work = this.deliver(spans).then(resultCallback, (error: unknown) =>
      resultCallback({
        code: ExportResultCode.FAILED,
        error: error instanceof Error ? error : new Error(String(error)),
      }),
    );
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** Waits for the exports in flight: each one flushes its own events before it answers. */
  async forceFlush(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.forceFlush();
    this.unsubscribe();
    for (const client of this.clients) client.discardAll();
    await Promise.all(this.clients.map((client) => client.shutdown(CLIENT_SHUTDOWN_MS)));
  }

  private async deliver(spans: readonly ReadableSpan[]): Promise<ExportResult> {
    const drafts = await this.mapper.map(spans);
    if (drafts.length === 0) return { code: ExportResultCode.SUCCESS };
    const deadline = Date.now() + this.settings.exportBudgetMs;
    const chunks: EventDraft[][] = [];
    for (let i = 0; i < drafts.length; i += this.settings.maxBatchSize)
      chunks.push(drafts.slice(i, i + this.settings.maxBatchSize));
    const results = await Promise.all(chunks.map((chunk) => this.deliverChunk(chunk, deadline)));
    const undelivered = results.flatMap((r) => r.undelivered);
    if (undelivered.length === 0) {
      this.debug(
        `delivered ${drafts.length} event(s) for ${spans.length} span(s) in ${chunks.length} request(s)`,
      );
      return { code: ExportResultCode.SUCCESS };
    }
    for (const draft of undelivered) if (draft.startsTrace) this.mapper.forgetTraceStart(draft.startsTrace);
    const attempts = results.reduce((sum, r) => sum + r.attempts, 0);
    const cause = results.find((r) => r.undelivered.length > 0)?.cause ?? "not delivered";
    return {
      code: ExportResultCode.FAILED,
      error: new PosthogDeliveryError(
        `${undelivered.length} of ${drafts.length} PostHog event(s) not delivered after ${attempts} attempt(s): ${cause}`,
      ),
    };
  }

  /** One request's worth of events, retried until delivered, final, out of budget or stopped. */
  private async deliverChunk(
    chunk: readonly EventDraft[],
    deadline: number,
  ): Promise<{ undelivered: EventDraft[]; attempts: number; cause?: string }> {
    const pending = new Map(chunk.map((d) => [d.uuid, d]));
    const result = await withRetry(
      async () => {
        const outcome = await this.withClient((client) =>
          client.send([...pending.values()], this.distinctId),
        );
        for (const uuid of outcome.delivered) pending.delete(uuid);
        if (pending.size === 0) return { ok: true, value: undefined };
        const failure = outcome.failure;
        const error = failure?.error ?? new Error("events left posthog-node's queue undelivered");
        return {
          ok: false,
          error,
          retryable: isRetryable(failure),
          ...(failure?.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}),
        };
      },
      {
        policy: posthogRetryPolicy(this.settings.fetchRetryCount, this.settings.fetchRetryDelay),
        deadline,
        signal: this.context.shutdownSignal,
        killSwitch: this.context.killSwitch,
        random: this.deps.random,
        onRetry: ({ waitMs, error }) =>
          this.debug(
            `${pending.size} event(s) not delivered (${error.message}); retrying in ${Math.round(waitMs)} ms`,
          ),
      },
    );
    if (result.ok) return { undelivered: [], attempts: result.attempts };
    return { undelivered: [...pending.values()], attempts: result.attempts, cause: result.error.message };
  }

  /** Runs `work` on an idle client, creating one up to MAX_CONCURRENT_REQUESTS, else waiting for one. */
  private async withClient<T>(work: (client: LedgerClient) => Promise<T>): Promise<T> {
    let client = this.idle.pop();
    if (!client && this.clients.length < MAX_CONCURRENT_REQUESTS) {
      client = new LedgerClient({
        apiKey: this.settings.apiKey,
        host: this.settings.host,
        maxBatchSize: this.settings.maxBatchSize,
        geoip: this.settings.geoip,
        fetch: this.guardedFetch,
      });
      this.clients.push(client);
    }
    const acquired = client ?? (await new Promise<LedgerClient>((resolve) => this.waiting.push(resolve)));
    try {
      return await work(acquired);
    } finally {
      const next = this.waiting.shift();
      if (next) next(acquired);
      else this.idle.push(acquired);
    }
  }

  /** Kill switch: posthog-node's queues are dropped unsent; the toolkit aborts requests and waits. */
  private engageKillSwitch(): void {
    this.stopped = true;
    for (const client of this.clients) client.discardAll();
  }

  private debug(message: string): void {
    // `debug = true` asks for delivery details; they go through the masking logger at warn so
    // they show with the default log level. Counts and causes only, never properties.
    if (this.settings.debug) this.context.logger.warn(`debug: ${message}`);
  }
}
