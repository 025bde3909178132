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
import { NOOP_CALL } from "./noop-telemetry.js";
import { recordError } from "./record-error.js";
import type { InferenceCall, InferenceInfo, InferenceParams, Lazy, PipeRunInfo, Usage } from "./types.js";

/** What nested calls need to know about the enclosing pipe span. */
export interface PipeFrame {
  readonly context: Context;
  readonly pipeCode: string;
  readonly pipeType: string;
  readonly runId: string;
}

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

  private startPipe(info: PipeRunInfo): { span: Span; frame: PipeFrame } {
    const parent = this.frames.get();
    const attributes: Attributes = {
      [ATTR.SPAN_CATEGORY]: "pipe",
      [ATTR.PIPELINE_RUN_ID]: info.runId,
      [ATTR.PIPE_CODE]: info.pipeCode,
      [ATTR.PIPE_TYPE]: info.pipeType,
    };
    if (info.pipeCategory !== undefined) attributes[ATTR.PIPE_CATEGORY] = info.pipeCategory;
    if (info.userId !== undefined) attributes[ATTR.USER_ID] = info.userId;
    if (info.sessionId !== undefined) attributes[ATTR.SESSION_ID] = info.sessionId;
    // A root span takes the next trace id: the generator hands the one peeked here to the tracer.
    if (!parent) attributes[ATTR.TRACE_NAME] = traceName(info.pipeCode, this.ids.peekTraceId());
    const span = this.tracer.startSpan(
      pipeSpanName(info.pipeType, info.pipeCode),
      { kind: SpanKind.INTERNAL, attributes },
      parent?.context ?? ROOT_CONTEXT,
    );
    const frame: PipeFrame = {
      context: trace.setSpan(ROOT_CONTEXT, span),
      pipeCode: info.pipeCode,
      pipeType: info.pipeType,
      runId: info.runId,
    };
    return { span, frame };
  }

  private startInference(info: InferenceInfo): Span {
    const parent = this.frames.get();
    const attributes = this.inferenceAttributes(info, parent);
    const name = inferenceSpanName({
      pipeCode: parent?.pipeCode,
      jobId: info.jobId,
      model: info.model,
      operation: info.operation,
      output: info.outputClassName ?? info.outputType ?? "text",
    });
    return this.tracer.startSpan(
      name,
      { kind: SpanKind.CLIENT, attributes },
      parent?.context ?? ROOT_CONTEXT,
    );
  }

  private inferenceAttributes(info: InferenceInfo, parent: PipeFrame | undefined): Attributes {
    const attributes: Attributes = {
      [ATTR.SPAN_CATEGORY]: "inference",
      [ATTR.GEN_AI_OPERATION_NAME]: info.operation,
      [ATTR.GEN_AI_PROVIDER_NAME]: info.provider,
      [ATTR.GEN_AI_REQUEST_MODEL]: info.model,
    };
    if (parent) {
      attributes[ATTR.PIPELINE_RUN_ID] = parent.runId;
      attributes[ATTR.PIPE_CODE] = parent.pipeCode;
      attributes[ATTR.PIPE_TYPE] = parent.pipeType;
    }
    if (info.outputType !== undefined) attributes[ATTR.GEN_AI_OUTPUT_TYPE] = info.outputType;
    if (info.outputClassName !== undefined) attributes[ATTR.OUTPUT_CLASS_NAME] = info.outputClassName;
    if (info.jobId !== undefined) attributes[ATTR.JOB_ID] = info.jobId;
    if (info.params) addParams(attributes, info.params, this.withContent);
    return attributes;
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

function addParams(attributes: Attributes, params: InferenceParams, withContent: boolean): void {
  const { temperature, maxTokens, seed, width, height, structuringMethod } = params;
  if (typeof temperature === "number") attributes[ATTR.GEN_AI_REQUEST_TEMPERATURE] = temperature;
  if (typeof maxTokens === "number") attributes[ATTR.GEN_AI_REQUEST_MAX_TOKENS] = maxTokens;
  if (typeof seed === "number") attributes[ATTR.GEN_AI_REQUEST_SEED] = seed;
  if (typeof width === "number") attributes[ATTR.IMAGE_WIDTH] = width;
  if (typeof height === "number") attributes[ATTR.IMAGE_HEIGHT] = height;
  if (typeof structuringMethod === "string") attributes[ATTR.STRUCTURING_METHOD] = structuringMethod;
  // Unknown keys may hold anything: full-data destinations only, so they follow the content rule.
  if (!withContent) return;
  let extra: Record<string, unknown> | undefined;
  for (const key in params) {
    if (KNOWN_PARAMS.has(key) || params[key] === undefined) continue;
    extra ??= {};
    extra[key] = params[key];
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
    if (isCount(usage?.inputTokens))
      this.span.setAttribute(ATTR.GEN_AI_USAGE_INPUT_TOKENS, usage.inputTokens);
    if (isCount(usage?.outputTokens))
      this.span.setAttribute(ATTR.GEN_AI_USAGE_OUTPUT_TOKENS, usage.outputTokens);
  }

  recordResponseModel(name: string): void {
    if (typeof name === "string") this.span.setAttribute(ATTR.GEN_AI_RESPONSE_MODEL, name);
  }
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}
