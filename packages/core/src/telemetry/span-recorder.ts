import {
  type Attributes,
  type Context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import { ATTR } from "../span/attributes.js";
import type { ContextStore } from "../span/context-store.js";
import { inferenceSpanName, pipeSpanName, traceName } from "../span/naming.js";
import type { PeekableIdGenerator } from "../span/peekable-id-generator.js";
import { serializeContent } from "./content.js";
import {
  MAX_FIELD_LENGTH,
  type MalformedFieldReporter,
  objectField,
  optionalNumber,
  optionalText,
  readField,
  requiredText,
} from "./info-fields.js";
import { NOOP_CALL } from "./noop-telemetry.js";
import { recordError } from "./record-error.js";
import type { InferenceCall, InferenceInfo, Lazy, PipeRunInfo, Usage } from "./types.js";

/** What nested calls need to know about the enclosing pipe span. */
export interface PipeFrame {
  readonly context: Context;
  readonly pipeCode: string;
  readonly pipeType: string;
  readonly runId: string;
}

/**
 * Spans start without attributes, which are then set one by one: OpenTelemetry's tracer copies
 * start attributes twice (`sanitizeAttributes`, before and after the sampler) and then sets them
 * one by one on the span anyway, so an attributes object passed at start was three objects of
 * garbage per span (bench/alloc.mjs). The sampler sees no attributes: this provider's is the
 * default (parent-based, always on), which reads none, and our processor's `onStart` reads none.
 */
const PIPE_SPAN_OPTIONS = { kind: SpanKind.INTERNAL } as const;
const INFERENCE_SPAN_OPTIONS = { kind: SpanKind.CLIENT } as const;

const KNOWN_PARAMS = new Set(["temperature", "maxTokens", "seed", "width", "height", "structuringMethod"]);

/**
 * Creates the spans for `pipeRun` and `inference`. `withContent` is decided once, from the
 * destinations: when none may receive content, nothing content-like is ever serialized.
 */
export class SpanRecorder {
  constructor(
    private readonly tracer: Tracer,
    private readonly frames: ContextStore<PipeFrame>,
    private readonly withContent: boolean,
    private readonly ids: PeekableIdGenerator,
    private readonly reportProblem: (where: string, error: unknown) => void,
    private readonly reportMalformed: MalformedFieldReporter,
  ) {}

  /** The promise whose settlement was last hooked, and the spans waiting on it (inner first). */
  private lastSettling: { promise: PromiseLike<unknown>; spans: Span[]; done: boolean } | undefined;

  pipeRun<T>(info: PipeRunInfo, fn: () => T): T {
    let started: { span: Span; frame: PipeFrame };
    try {
      started = this.startPipe(info);
    } catch (error) {
      // Telemetry never throws into the app: input that breaks span creation just goes unrecorded.
      this.reportProblem("pipeRun", error);
      return fn();
    }
    return this.frames.run(started.frame, () => this.runAndEnd(started.span, fn));
  }

  inference<T>(info: InferenceInfo, fn: (call: InferenceCall) => T): T {
    let span: Span;
    try {
      span = this.startInference(info);
    } catch (error) {
      this.reportProblem("inference", error);
      return fn(NOOP_CALL);
    }
    const call = new InferenceCallHandle(span, this.withContent);
    return this.runAndEnd(span, () => fn(call));
  }

  private startPipe(input: PipeRunInfo): { span: Span; frame: PipeFrame } {
    // Each field is read once and checked before any span exists (see info-fields.ts).
    const report = this.reportMalformed;
    const info = objectField(input, "pipeRun: info", true, report);
    const runId = requiredText(info, "runId", "pipeRun: info.runId", report);
    const pipeCode = requiredText(info, "pipeCode", "pipeRun: info.pipeCode", report);
    const pipeType = requiredText(info, "pipeType", "pipeRun: info.pipeType", report);
    const pipeCategory = optionalText(info, "pipeCategory", "pipeRun: info.pipeCategory", report);
    const userId = optionalText(info, "userId", "pipeRun: info.userId", report);
    const sessionId = optionalText(info, "sessionId", "pipeRun: info.sessionId", report);
    const parent = this.frames.get();
    // A root span takes the next trace id: the generator hands the one peeked here to the tracer.
    const rootTraceName = parent ? undefined : traceName(pipeCode, this.ids.peekTraceId());
    const span = this.tracer.startSpan(
      pipeSpanName(pipeType, pipeCode),
      PIPE_SPAN_OPTIONS,
      parent?.context ?? ROOT_CONTEXT,
    );
    span.setAttribute(ATTR.SPAN_CATEGORY, "pipe");
    span.setAttribute(ATTR.PIPELINE_RUN_ID, runId);
    span.setAttribute(ATTR.PIPE_CODE, pipeCode);
    span.setAttribute(ATTR.PIPE_TYPE, pipeType);
    if (pipeCategory !== undefined) span.setAttribute(ATTR.PIPE_CATEGORY, pipeCategory);
    if (userId !== undefined) span.setAttribute(ATTR.USER_ID, userId);
    if (sessionId !== undefined) span.setAttribute(ATTR.SESSION_ID, sessionId);
    if (rootTraceName !== undefined) span.setAttribute(ATTR.TRACE_NAME, rootTraceName);
    const frame: PipeFrame = { context: trace.setSpan(ROOT_CONTEXT, span), pipeCode, pipeType, runId };
    return { span, frame };
  }

  private startInference(input: InferenceInfo): Span {
    const report = this.reportMalformed;
    const info = objectField(input, "inference: info", true, report);
    const model = requiredText(info, "model", "inference: info.model", report);
    const provider = requiredText(info, "provider", "inference: info.provider", report);
    const operation = requiredText(info, "operation", "inference: info.operation", report);
    const outputType = optionalText(info, "outputType", "inference: info.outputType", report);
    const outputClassName = optionalText(info, "outputClassName", "inference: info.outputClassName", report);
    const jobId = optionalText(info, "jobId", "inference: info.jobId", report);
    const parent = this.frames.get();
    const params =
      info &&
      objectField(
        readField(info, "params", "inference: info.params", report),
        "inference: info.params",
        false,
        report,
      );
    const paramAttributes = params ? readParams(params, this.withContent, report) : undefined;
    const name = inferenceSpanName({
      pipeCode: parent?.pipeCode,
      jobId,
      model,
      operation,
      output: outputClassName ?? outputType ?? "text",
    });
    const span = this.tracer.startSpan(name, INFERENCE_SPAN_OPTIONS, parent?.context ?? ROOT_CONTEXT);
    span.setAttribute(ATTR.SPAN_CATEGORY, "inference");
    span.setAttribute(ATTR.GEN_AI_OPERATION_NAME, operation);
    span.setAttribute(ATTR.GEN_AI_PROVIDER_NAME, provider);
    span.setAttribute(ATTR.GEN_AI_REQUEST_MODEL, model);
    if (parent) {
      span.setAttribute(ATTR.PIPELINE_RUN_ID, parent.runId);
      span.setAttribute(ATTR.PIPE_CODE, parent.pipeCode);
      span.setAttribute(ATTR.PIPE_TYPE, parent.pipeType);
    }
    if (outputType !== undefined) span.setAttribute(ATTR.GEN_AI_OUTPUT_TYPE, outputType);
    if (outputClassName !== undefined) span.setAttribute(ATTR.OUTPUT_CLASS_NAME, outputClassName);
    if (jobId !== undefined) span.setAttribute(ATTR.JOB_ID, jobId);
    if (paramAttributes) span.setAttributes(paramAttributes);
    return span;
  }

  private runAndEnd<T>(span: Span, fn: () => T): T {
    let result: T;
    try {
      result = fn();
    } catch (error) {
      this.fail(span, error);
      throw error;
    }
    if (isThenable(result)) {
      this.endWhenSettled(span, result);
      return result;
    }
    this.succeed(span);
    return result;
  }

  /**
   * Ends `span` when `promise` settles. The callback's own promise is handed back, and our
   * handlers are registered first, so the span ends before the caller resumes. When a pipe's
   * callback returns the very promise its inference returned (`pipeRun(() => inference(...))`),
   * both spans share one handler: one derived promise instead of two.
   */
  private endWhenSettled(span: Span, promise: PromiseLike<unknown>): void {
    const pending = this.lastSettling;
    if (pending !== undefined && pending.promise === promise && !pending.done) {
      pending.spans.push(span);
      return;
    }
    const settling = { promise, spans: [span], done: false };
    this.lastSettling = settling;
    const finish = () => {
      settling.done = true; // a span must never join a handler that already ran
      if (this.lastSettling === settling) this.lastSettling = undefined;
    };
    promise.then(
      () => {
        finish();
        for (const s of settling.spans) this.succeed(s);
      },
      (error: unknown) => {
        finish();
        for (const s of settling.spans) this.fail(s, error);
      },
    );
  }

  private succeed(span: Span): void {
    try {
      span.setAttribute(ATTR.OUTCOME, "success");
    } finally {
      span.end();
    }
  }

  private fail(span: Span, error: unknown): void {
    try {
      recordError(span, error, this.withContent);
    } catch (problem) {
      // A hostile error object (throwing getters) must not replace the app's own error.
      this.reportProblem("error recording", problem);
    } finally {
      span.end();
    }
  }
}

/** The params' attributes, or undefined when none is usable: read before the span exists. */
function readParams(
  params: object,
  withContent: boolean,
  report: MalformedFieldReporter,
): Attributes | undefined {
  const attributes: Attributes = {};
  addParams(attributes, params, withContent, report);
  return Object.keys(attributes).length > 0 ? attributes : undefined;
}

function addParams(
  attributes: Attributes,
  params: object,
  withContent: boolean,
  report: MalformedFieldReporter,
): void {
  const temperature = optionalNumber(params, "temperature", "inference: params.temperature", report);
  const maxTokens = optionalNumber(params, "maxTokens", "inference: params.maxTokens", report);
  const seed = optionalNumber(params, "seed", "inference: params.seed", report);
  const width = optionalNumber(params, "width", "inference: params.width", report);
  const height = optionalNumber(params, "height", "inference: params.height", report);
  const structuringMethod = optionalText(
    params,
    "structuringMethod",
    "inference: params.structuringMethod",
    report,
  );
  if (temperature !== undefined) attributes[ATTR.GEN_AI_REQUEST_TEMPERATURE] = temperature;
  if (maxTokens !== undefined) attributes[ATTR.GEN_AI_REQUEST_MAX_TOKENS] = maxTokens;
  if (seed !== undefined) attributes[ATTR.GEN_AI_REQUEST_SEED] = seed;
  if (width !== undefined) attributes[ATTR.IMAGE_WIDTH] = width;
  if (height !== undefined) attributes[ATTR.IMAGE_HEIGHT] = height;
  if (structuringMethod !== undefined) attributes[ATTR.STRUCTURING_METHOD] = structuringMethod;
  // Unknown keys may hold anything: full-data destinations only, so they follow the content rule.
  if (!withContent) return;
  let extra: Record<string, unknown> | undefined;
  try {
    const record = params as Record<string, unknown>;
    for (const key in record) {
      if (KNOWN_PARAMS.has(key) || record[key] === undefined) continue;
      extra ??= {};
      extra[key] = record[key];
    }
  } catch {
    report("inference: info.params", "a key whose getter throws");
    return;
  }
  if (extra) attributes[ATTR.PARAMS] = serializeContent(extra, "user");
}

function isThenable<T>(value: T): value is T & PromiseLike<Awaited<T>> {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

/**
 * The handle an inference callback gets. Its methods run inside the app's own code, so none of
 * them may throw: a hostile usage object or lazy content is caught and recorded as nothing.
 */
class InferenceCallHandle implements InferenceCall {
  constructor(
    private readonly span: Span,
    private readonly withContent: boolean,
  ) {}

  recordInput(messages: Lazy<unknown>): void {
    if (this.withContent)
      this.span.setAttribute(ATTR.GEN_AI_INPUT_MESSAGES, serializeContent(messages, "user"));
  }

  recordOutput(output: Lazy<unknown>): void {
    if (this.withContent)
      this.span.setAttribute(ATTR.GEN_AI_OUTPUT_MESSAGES, serializeContent(output, "assistant"));
  }

  recordUsage(usage: Usage): void {
    try {
      const input = usage?.inputTokens;
      const output = usage?.outputTokens;
      if (isCount(input)) this.span.setAttribute(ATTR.GEN_AI_USAGE_INPUT_TOKENS, input);
      if (isCount(output)) this.span.setAttribute(ATTR.GEN_AI_USAGE_OUTPUT_TOKENS, output);
    } catch {
      // A throwing getter on the app's usage object: no usage is recorded.
    }
  }

  recordResponseModel(name: string): void {
    if (typeof name === "string" && name.length <= MAX_FIELD_LENGTH)
      this.span.setAttribute(ATTR.GEN_AI_RESPONSE_MODEL, name);
  }
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}
