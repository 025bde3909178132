import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import { delay, type ExporterContext, unrefTimer } from "@pipelex/telemetry-core/plugin";
import { TrackedPostHog } from "./client.js";
import { randomDistinctId } from "./ids.js";
import { type EventDraft, SpanEventMapper } from "./mapper.js";
import type { ResolvedPosthogSettings } from "./options.js";
import { backoffMs, describeFailure } from "./retry.js";

/** An export that did not reach PostHog; the message holds counts and a status, never data. */
export class PosthogDeliveryError extends Error {
  override readonly name = "PosthogDeliveryError";
}

/** How long posthog-node's own shutdown may take once the exporter is done (its queue is empty then). */
const CLIENT_SHUTDOWN_MS = 1000;

export interface PosthogExporterDeps {
  /** Replaces the transport (tests of the delivery logic); defaults to globalThis.fetch. */
  readonly fetch?: ConstructorParameters<typeof TrackedPostHog>[0]["fetch"];
  readonly random?: () => number;
}

/**
 * A SpanExporter that sends spans to PostHog as LLM analytics events through posthog-node and
 * answers SUCCESS only once PostHog has accepted every event of the batch. Anything that was
 * not delivered after the retries is reported as FAILED, so core counts it in
 * `stats().dropped.exportFailed`; it is also removed from posthog-node's queue, so it is never
 * delivered later behind that count.
 */
export class PosthogSpanExporter implements SpanExporter {
  private readonly client: TrackedPostHog;
  private readonly mapper: SpanEventMapper;
  private readonly distinctId: string;
  /** Added after `redactProperties`: no option can remove the anonymous-mode guard. */
  private readonly extraProperties: Readonly<Record<string, unknown>>;
  /** Aborted by the export budget, shutdown's deadline and the kill switch: requests in flight stop. */
  private attemptController = new AbortController();
  /** Set by shutdown's deadline and the kill switch: every later attempt starts aborted. */
  private halted = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly unsubscribe: () => void;
  private stopped = false;

  constructor(
    private readonly settings: ResolvedPosthogSettings,
    private readonly context: ExporterContext,
    private readonly deps: PosthogExporterDeps = {},
  ) {
    context.logger.addSecrets(settings.apiKey);
    this.mapper = new SpanEventMapper(settings.redactProperties);
    if (settings.mode === "identified") {
      this.distinctId = settings.userId!;
      this.extraProperties = {};
    } else {
      this.distinctId = randomDistinctId();
      this.extraProperties = { $process_person_profile: false };
    }
    this.client = new TrackedPostHog({
      apiKey: settings.apiKey,
      host: settings.host,
      maxBatchSize: settings.maxBatchSize,
      // One export's events at most are ever in posthog-node's queue (leftovers are discarded
      // after each export), and an export carries at most 2 events per span; this bound keeps its
      // silent oldest-first drop out of reach. Should it happen anyway, the event is not
      // delivered, so the export is retried and, failing that, counted.
      maxQueueSize: Math.max(1000, 4 * settings.flushAt),
      requestTimeout: settings.requestTimeout,
      geoip: settings.geoip,
      signal: () => this.attemptController.signal,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
    const onShutdownAbort = () => this.abortAll();
    context.shutdownSignal.addEventListener("abort", onShutdownAbort, { once: true });
    const offKillSwitch = context.killSwitch.onEngage(() => this.engageKillSwitch());
    this.unsubscribe = () => {
      context.shutdownSignal.removeEventListener("abort", onShutdownAbort);
      offKillSwitch();
    };
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
    this.client.discardAll();
    await this.client.shutdown(CLIENT_SHUTDOWN_MS);
  }

  private async deliver(spans: readonly ReadableSpan[]): Promise<ExportResult> {
    const drafts = this.mapper.map(spans);
    if (drafts.length === 0) return { code: ExportResultCode.SUCCESS };
    this.attemptController = new AbortController();
    const attempt = this.attemptController;
    if (this.halted) attempt.abort();
    const deadline = Date.now() + this.settings.exportBudgetMs;
    const budgetTimer = setTimeout(() => attempt.abort(), this.settings.exportBudgetMs);
    unrefTimer(budgetTimer);
    const pending = new Map<string, EventDraft>(drafts.map((d) => [d.uuid, d]));
    let failure = describeFailure(undefined);
    let requestsFailed = 0;
    try {
      for (let retry = 0; ; retry++) {
        const outcome = await this.client.send([...pending.values()], this.distinctId, this.extraProperties);
        for (const uuid of outcome.delivered) pending.delete(uuid);
        if (pending.size === 0) {
          this.debug(
            `delivered ${drafts.length} event(s) for ${spans.length} span(s)${retry > 0 ? ` after ${retry} retr${retry > 1 ? "ies" : "y"}` : ""}`,
          );
          return { code: ExportResultCode.SUCCESS };
        }
        // Whatever posthog-node kept (network errors) must not go out later behind our back.
        this.client.discard(new Set(pending.keys()));
        failure = describeFailure(outcome.error);
        requestsFailed++;
        if (this.stopped || attempt.signal.aborted || this.context.killSwitch.isEngaged()) break;
        if (!failure.retryable || retry >= this.settings.fetchRetryCount) break;
        const wait = backoffMs(retry, this.settings.fetchRetryDelay, failure.retryAfterMs, this.deps.random);
        if (Date.now() + wait >= deadline) break;
        this.debug(`${pending.size} event(s) not delivered (${failure.summary}); retrying in ${wait} ms`);
        await delay(wait, attempt.signal);
        if (attempt.signal.aborted) break;
      }
    } finally {
      clearTimeout(budgetTimer);
    }
    for (const draft of pending.values())
      if (draft.startsTrace) this.mapper.forgetTraceStart(draft.startsTrace);
    return {
      code: ExportResultCode.FAILED,
      error: new PosthogDeliveryError(
        `${pending.size} of ${drafts.length} PostHog event(s) not delivered after ${requestsFailed} attempt(s): ${failure.summary}`,
      ),
    };
  }

  private abortAll(): void {
    this.halted = true;
    this.attemptController.abort();
  }

  /** Kill switch: posthog-node's queue is dropped unsent and requests in flight are aborted. */
  private engageKillSwitch(): void {
    this.stopped = true;
    this.client.discardAll();
    this.abortAll();
  }

  private debug(message: string): void {
    // `debug = true` asks for delivery details; they go through the masking logger at warn so
    // they show with the default log level. Counts and statuses only, never properties.
    if (this.settings.debug) this.context.logger.warn(`debug: ${message}`);
  }
}
