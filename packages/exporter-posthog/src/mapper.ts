import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { mapInSlices, type TelemetrySpan, toTelemetrySpan } from "@pipelex/telemetry-core/plugin";
import { spanEventUuid, traceStartUuid } from "./ids.js";
import {
  contentValue,
  type Properties,
  type PropertyValue,
  safeIdentifier,
  withoutKeysIn,
} from "./properties.js";
import { EXPORTER_PACKAGE_NAME, EXPORTER_VERSION } from "./version.js";

export type PosthogEventName = "$ai_generation" | "$ai_span";

/** One event ready for posthog-node's `capture`, minus the distinct id. */
export interface EventDraft {
  readonly event: PosthogEventName;
  readonly uuid: string;
  readonly timestamp: Date;
  readonly properties: Properties;
  /** Set on a trace-start event: the trace it opens. */
  readonly startsTrace?: string;
}

/** Remembers this many traces as "started", oldest forgotten first. */
const STARTED_TRACES_LIMIT = 10_000;

/**
 * Builds one event's properties in a single new object: undefined values are skipped and keys
 * named in `redactProperties` never written (nested values are copied without them). The
 * allowlist is the list of `set` calls below.
 */
class PropertyWriter {
  readonly properties: Properties = {};
  constructor(
    private readonly redactKeys: ReadonlySet<string>,
    private readonly guard: Readonly<Properties>,
  ) {}

  /** The guard properties, last: no redaction removes them and no mapped key replaces them. */
  done(): Properties {
    for (const key in this.guard) this.properties[key] = this.guard[key]!;
    return this.properties;
  }

  set(key: string, value: PropertyValue | undefined): void {
    if (value === undefined || this.redactKeys.has(key)) return;
    this.properties[key] =
      value !== null && typeof value === "object" ? withoutKeysIn(value, this.redactKeys) : value;
  }
}

function writeCommon(out: PropertyWriter, view: TelemetrySpan): void {
  out.set("$ai_trace_id", view.traceId);
  out.set("$ai_span_id", view.spanId);
  out.set("$ai_parent_id", view.parentSpanId);
  out.set("$ai_span_name", view.name);
  out.set("$ai_latency", view.durationMs / 1000);
  out.set("$ai_is_error", view.outcome === "failure");
  // The message is content (providers echo prompts); core removed it unless content is captured.
  out.set("$ai_error", view.error?.message);
  out.set("$ai_http_status", view.error?.httpStatus);
  // App-chosen: the policy dropped it unless captured; checked again here, as error codes are.
  out.set("$ai_session_id", safeIdentifier(view.sessionId));
  out.set("$ai_lib", EXPORTER_PACKAGE_NAME);
  out.set("$ai_lib_version", EXPORTER_VERSION);
  out.set("pipelex_error_type", safeIdentifier(view.error?.type));
  out.set("pipelex_error_code", safeIdentifier(view.error?.code));
  out.set("pipelex_outcome", view.outcome);
  out.set("pipelex_pipe_type", view.pipe.type);
  out.set("pipelex_pipe_code", view.pipe.code);
}

function writeGeneration(out: PropertyWriter, view: TelemetrySpan): void {
  const genAi = view.genAi!;
  writeCommon(out, view);
  out.set("$ai_model", genAi.responseModel ?? genAi.requestModel);
  out.set("$ai_provider", genAi.provider);
  const params: Properties = {};
  const p = genAi.params;
  if (p.temperature !== undefined) params.temperature = p.temperature;
  if (p.maxTokens !== undefined) params.max_tokens = p.maxTokens;
  if (p.seed !== undefined) params.seed = p.seed;
  if (p.width !== undefined) params.width = p.width;
  if (p.height !== undefined) params.height = p.height;
  if (p.structuringMethod !== undefined) params.structuring_method = p.structuringMethod;
  out.set("$ai_model_parameters", Object.keys(params).length > 0 ? params : undefined);
  out.set("$ai_input", view.content.input === undefined ? undefined : contentValue(view.content.input));
  out.set(
    "$ai_output_choices",
    view.content.output === undefined ? undefined : contentValue(view.content.output),
  );
  out.set("$ai_input_tokens", view.usage.inputTokens);
  out.set("$ai_output_tokens", view.usage.outputTokens);
  out.set("pipelex_request_model", genAi.requestModel);
  out.set("pipelex_operation", genAi.operation);
  out.set("pipelex_output_type", genAi.outputType);
  out.set("pipelex_output_class_name", genAi.outputClassName);
  out.set("pipelex_job_id", safeIdentifier(genAi.jobId));
}

function writeSpan(out: PropertyWriter, view: TelemetrySpan): void {
  writeCommon(out, view);
  out.set("$ai_trace_name", view.parentSpanId === undefined ? view.traceName : undefined);
  out.set("pipelex_pipe_category", view.pipe.category);
}

/**
 * Maps spans to PostHog LLM analytics events. Inference spans become `$ai_generation`, every
 * other span `$ai_span`. Properties are built by copying an allowlist from the typed view of
 * the span (never by spreading attributes), so an attribute this mapper does not know never
 * reaches PostHog; then every key named in `redactProperties` is removed at any depth.
 *
 * The first time a trace is seen, a trace-start `$ai_span` goes first (span id = trace id, no
 * parent) carrying the trace name: the root pipe span's `pipelex.trace.name` when the root is
 * in the same batch, else the first 8 hex characters of the trace id, which is also what the
 * name is when pipe codes are redacted.
 */
export class SpanEventMapper {
  private readonly started = new Set<string>();
  private readonly redactKeys: ReadonlySet<string>;

  /**
   * `guard`: properties every event carries whatever `redactProperties` says (anonymous mode's
   * `$process_person_profile: false`), written into the event's one properties object.
   */
  constructor(
    redactProperties: readonly string[],
    private readonly guard: Readonly<Properties> = {},
  ) {
    this.redactKeys = new Set(redactProperties);
  }

  /** In the toolkit's slices: a large batch never holds the app's event loop for long. */
  async map(spans: readonly ReadableSpan[]): Promise<EventDraft[]> {
    // Traces are claimed before the first await, in the order batches arrive: the batch that came
    // first (with the trace's root, usually) names the trace, as when mapping was synchronous.
    const claimed = new Map<string, TelemetrySpan[]>();
    for (const span of spans) {
      const traceId = span.spanContext().traceId;
      if (this.started.has(traceId)) continue;
      this.markStarted(traceId);
      claimed.set(traceId, []);
    }
    const views = await mapInSlices(spans, toTelemetrySpan);
    for (const view of views) claimed.get(view.traceId)?.push(view);
    const starts: EventDraft[] = [];
    for (const [traceId, ofTrace] of claimed) starts.push(this.traceStart(traceId, ofTrace));
    const events = await mapInSlices(views, (view) => this.spanEvent(view));
    return starts.length === 0 ? events : [...starts, ...events];
  }

  /** A trace-start event that was not delivered is sent again with the trace's next batch. */
  forgetTraceStart(traceId: string): void {
    this.started.delete(traceId);
  }

  private markStarted(traceId: string): void {
    this.started.add(traceId);
    if (this.started.size > STARTED_TRACES_LIMIT) {
      const oldest = this.started.values().next().value;
      if (oldest !== undefined) this.started.delete(oldest);
    }
  }

  /** `ofTrace`: the batch's spans of this trace. */
  private traceStart(traceId: string, ofTrace: readonly TelemetrySpan[]): EventDraft {
    const root = ofTrace.find((v) => v.parentSpanId === undefined && v.traceName !== undefined);
    const name = root?.traceName ?? traceId.slice(0, 8);
    let startMs = Number.POSITIVE_INFINITY;
    for (const view of ofTrace) startMs = Math.min(startMs, view.startTimeMs);
    return {
      event: "$ai_span",
      uuid: traceStartUuid(traceId),
      timestamp: new Date(startMs),
      startsTrace: traceId,
      properties: this.traceStartProperties(traceId, name),
    };
  }

  private traceStartProperties(traceId: string, name: string): Properties {
    const out = new PropertyWriter(this.redactKeys, this.guard);
    out.set("$ai_trace_id", traceId);
    out.set("$ai_span_id", traceId);
    out.set("$ai_span_name", name);
    out.set("$ai_trace_name", name);
    out.set("$ai_latency", 0);
    out.set("$ai_is_error", false);
    out.set("$ai_lib", EXPORTER_PACKAGE_NAME);
    out.set("$ai_lib_version", EXPORTER_VERSION);
    out.set("pipelex_trace_start", true);
    return out.done();
  }

  private spanEvent(view: TelemetrySpan): EventDraft {
    const isGeneration = view.category === "inference";
    const out = new PropertyWriter(this.redactKeys, this.guard);
    if (isGeneration) writeGeneration(out, view);
    else writeSpan(out, view);
    return {
      event: isGeneration ? "$ai_generation" : "$ai_span",
      uuid: spanEventUuid(view.traceId, view.spanId),
      timestamp: new Date(view.startTimeMs),
      properties: out.done(),
    };
  }
}
