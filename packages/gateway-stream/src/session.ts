import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import {
  type EnvSource,
  GatewayDoNotTrackConflictError,
  GatewayTelemetryUnavailableError,
  isDoNotTrack,
} from "@pipelex/telemetry-core";
import {
  createHttpTransport,
  type ExporterContext,
  type HttpTransport,
  type RetryPolicy,
  sendWithRetry,
  sliceIsOver,
  yieldToEventLoop,
} from "@pipelex/telemetry-core/plugin";
import { JsonBytesWriter } from "./delivery/json-bytes.js";
import {
  GATEWAY_REQUEST_TIMEOUT_MS,
  GATEWAY_RETRY_BUDGET_MS,
  GATEWAY_RETRY_POLICY,
} from "./delivery/retry-policy.js";
import { toGatewayEvent } from "./events/allowlist.js";
import { randomUuid } from "./events/uuid.js";
import { GatewayKillSwitchError } from "./kill-switch-error.js";
import type { ResolvedGatewayOptions } from "./options.js";
import { type IngestTarget, startStream } from "./start/start-stream.js";

type State =
  | { readonly kind: "starting" }
  | { readonly kind: "running"; readonly target: IngestTarget }
  | { readonly kind: "failed"; readonly error: GatewayTelemetryUnavailableError }
  | { readonly kind: "shutdown" };

type StartOutcome =
  | { ok: true; target: IngestTarget; transport: HttpTransport }
  | { ok: false; error: GatewayTelemetryUnavailableError };

/**
 * One running gateway stream inside one telemetry instance: the SpanExporter core's pipeline
 * calls, plus the state `assertActive()` and `ready()` report. Starting begins in the
 * constructor (core creates exporters synchronously); batches that arrive before it finishes
 * wait for it, bounded by the start timeout.
 */
export class GatewaySession implements SpanExporter {
  private state: State = { kind: "starting" };
  /** Never rejects, so a failed start is never an unhandled rejection. */
  private readonly started: Promise<StartOutcome>;
  /** Aborted by shutdown(): a remote config still loading is not waited for. */
  private readonly stopStart = new AbortController();

  constructor(
    options: ResolvedGatewayOptions,
    private readonly context: ExporterContext,
    private readonly streamEnv: EnvSource,
    private readonly retryPolicy: RetryPolicy = GATEWAY_RETRY_POLICY,
  ) {
    context.logger.addSecrets(options.apiKey, options.projectKey);
    this.started = startStream(options, context, this.stopStart.signal).then(
      (target): StartOutcome => {
        context.logger.addSecrets(target.projectKey);
        if (this.state.kind === "starting") this.state = { kind: "running", target };
        const transport = createHttpTransport({
          url: target.batchUrl,
          headers: { "content-type": "application/json" },
          timeoutMs: GATEWAY_REQUEST_TIMEOUT_MS,
          shutdownSignal: context.shutdownSignal,
          killSwitch: context.killSwitch,
          fetch: context.fetch,
        });
        return { ok: true, target, transport };
      },
      (error: unknown): StartOutcome => {
        const failure =
          error instanceof GatewayTelemetryUnavailableError
            ? error
            : new GatewayTelemetryUnavailableError("The gateway telemetry stream could not start.");
        // A start that shutdown() cut short is not an error worth a log line.
        if (this.state.kind === "shutdown") return { ok: false, error: failure };
        if (this.state.kind === "starting") this.state = { kind: "failed", error: failure };
        context.logger.error(failure.message);
        return { ok: false, error: failure };
      },
    );
  }

  /** Throws unless the stream is running: a gateway client calls this before each request. */
  assertActive(): void {
    if (isDoNotTrack(this.streamEnv) || isDoNotTrack(this.context.env))
      throw new GatewayDoNotTrackConflictError();
    if (this.context.killSwitch.isEngaged()) throw new GatewayKillSwitchError();
    switch (this.state.kind) {
      case "running":
        return;
      case "starting":
        throw new GatewayTelemetryUnavailableError(
          "The gateway telemetry stream is still starting (loading its remote config); the Pipelex Gateway does not run without it. Call `await stream.ready()` (or `await telemetry.ready()`) first.",
        );
      case "failed":
        throw this.state.error;
      case "shutdown":
        throw new GatewayTelemetryUnavailableError(
          "The gateway telemetry stream has been shut down; the Pipelex Gateway does not run without it. Create a new telemetry instance with gatewayStream() to use the gateway again.",
        );
    }
  }

  /** Resolves once started; rejects with GatewayTelemetryUnavailableError if starting failed or the stream was shut down. */
  async ready(): Promise<void> {
    const outcome = await this.started;
    if (!outcome.ok) throw outcome.error;
    if (this.state.kind === "shutdown") this.assertActive();
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    // Two steps, so the spans are let go once serialized: only the body waits on the round trip.
    this.prepare(spans)
      .then((prepared) => ("body" in prepared ? this.deliver(prepared.body) : prepared.result))
      .then(resultCallback, (error: unknown) =>
        resultCallback({
          code: ExportResultCode.FAILED,
          error: error instanceof Error ? error : new Error(String(error)),
        }),
      );
  }

  /** The request body for `spans`, or the result when there is nothing to send. */
  private async prepare(spans: ReadableSpan[]): Promise<{ body: Uint8Array } | { result: ExportResult }> {
    if (this.state.kind === "shutdown")
      return { result: failed("the gateway telemetry stream is shut down") };
    const outcome = await this.started;
    if (!outcome.ok) return { result: { code: ExportResultCode.FAILED, error: outcome.error } };
    if (this.context.killSwitch.isEngaged() || this.context.shutdownSignal.aborted) {
      return { result: failed("the kill switch is engaged") };
    }
    const { target } = outcome;
    // Mapped and written one event at a time in the toolkit's slices: a 1000-span batch never
    // holds the app's event loop for long (one JSON.stringify of the batch would). Each event
    // goes straight into the body's bytes, with no JSON string per event to collect.
    const identity = { distinctId: target.distinctId, newUuid: randomUuid };
    const body = new JsonBytesWriter(spans.length * EVENT_BYTES_ESTIMATE);
    body.raw(`{"api_key":`);
    body.value(target.projectKey);
    body.raw(`,"batch":[`);
    let events = 0;
    // Indexed: a for-of that awaits inside allocates an iterator result per span.
    for (let i = 0; i < spans.length; i++) {
      if (sliceIsOver()) await yieldToEventLoop();
      const event = toGatewayEvent(spans[i]!, identity);
      if (event === undefined) continue;
      if (events++ > 0) body.raw(",");
      body.value(event);
    }
    if (events === 0) return { result: { code: ExportResultCode.SUCCESS } };
    body.raw("]}");
    return { body: body.result() };
  }

  private async deliver(body: Uint8Array): Promise<ExportResult> {
    const outcome = await this.started;
    if (!outcome.ok) return { code: ExportResultCode.FAILED, error: outcome.error };
    const result = await sendWithRetry(outcome.transport, body, {
      policy: this.retryPolicy,
      deadline: Date.now() + GATEWAY_RETRY_BUDGET_MS,
      signal: this.context.shutdownSignal,
      killSwitch: this.context.killSwitch,
    });
    if (result.ok) return { code: ExportResultCode.SUCCESS };
    return failed(
      `the gateway ingest failed after ${result.attempts} attempt(s): ${result.error.message}${result.stopped ? " (stopped by shutdown or the kill switch)" : ""}`,
    );
  }

  forceFlush(): Promise<void> {
    // Nothing is buffered here: core's pipeline holds the queue and has already drained it.
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.state = { kind: "shutdown" };
    this.stopStart.abort();
    return Promise.resolve();
  }
}

/** About what one event takes in the body; the writer grows past it when needed. */
const EVENT_BYTES_ESTIMATE = 640;

function failed(reason: string): ExportResult {
  return { code: ExportResultCode.FAILED, error: new Error(reason) };
}
