import { LangfuseOtelSpanAttributes } from "@langfuse/core";
import type { Attributes } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { ATTR, copySpan } from "@pipelex/telemetry-core/plugin";

/** Trace-level values Langfuse takes from span attributes. */
export interface LangfuseTraceFields {
  readonly environment?: string | undefined;
  readonly release?: string | undefined;
}

/** Pipe spans are Langfuse spans; LLM / image calls are generations (model, usage, parameters). */
const OBSERVATION_TYPE_BY_CATEGORY: Readonly<Record<string, string>> = {
  pipe: "span",
  inference: "generation",
};

/**
 * The span Langfuse receives: a fresh copy of the (already redacted) span with the attributes
 * Langfuse's OTel ingestion reads. The source span is never touched: it may be shared with
 * other destinations or frozen, and the Langfuse SDK writes to `attributes` of the spans it is
 * handed (masking, media), so it only ever sees this copy's own attributes object.
 *
 * Everything else maps on Langfuse's side from the OpenTelemetry GenAI keys core already
 * writes: model, usage, parameters, `gen_ai.input.messages` / `gen_ai.output.messages`,
 * `user.id`, `session.id`, status ERROR -> level ERROR.
 */
export function toLangfuseSpan(span: ReadableSpan, trace: LangfuseTraceFields): ReadableSpan {
  const source = span.attributes;
  const added: Attributes = {};
  const category = source[ATTR.SPAN_CATEGORY];
  const observationType = typeof category === "string" ? OBSERVATION_TYPE_BY_CATEGORY[category] : undefined;
  if (observationType !== undefined) added[LangfuseOtelSpanAttributes.OBSERVATION_TYPE] = observationType;
  // Core sets the trace name on a run's root pipe span only (redacted there if pipe codes are).
  const traceName = source[ATTR.TRACE_NAME];
  if (typeof traceName === "string") added[LangfuseOtelSpanAttributes.TRACE_NAME] = traceName;
  if (trace.environment !== undefined) added[LangfuseOtelSpanAttributes.ENVIRONMENT] = trace.environment;
  if (trace.release !== undefined) added[LangfuseOtelSpanAttributes.RELEASE] = trace.release;
  // A value already on the span (e.g. set by the app through a redactor) wins over ours.
  return copySpan(span, { attributes: { ...added, ...source } });
}
