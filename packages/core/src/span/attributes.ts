/**
 * Attribute keys. GenAI keys follow the OpenTelemetry GenAI semantic conventions; `pipelex.*`
 * keys carry the pipe model. Exporters and redactors refer to these constants, never to literals.
 */
export const ATTR = {
  GEN_AI_OPERATION_NAME: "gen_ai.operation.name",
  GEN_AI_PROVIDER_NAME: "gen_ai.provider.name",
  GEN_AI_REQUEST_MODEL: "gen_ai.request.model",
  GEN_AI_RESPONSE_MODEL: "gen_ai.response.model",
  GEN_AI_REQUEST_TEMPERATURE: "gen_ai.request.temperature",
  GEN_AI_REQUEST_MAX_TOKENS: "gen_ai.request.max_tokens",
  GEN_AI_REQUEST_SEED: "gen_ai.request.seed",
  GEN_AI_OUTPUT_TYPE: "gen_ai.output.type",
  GEN_AI_USAGE_INPUT_TOKENS: "gen_ai.usage.input_tokens",
  GEN_AI_USAGE_OUTPUT_TOKENS: "gen_ai.usage.output_tokens",
  GEN_AI_INPUT_MESSAGES: "gen_ai.input.messages",
  GEN_AI_OUTPUT_MESSAGES: "gen_ai.output.messages",
  ERROR_TYPE: "error.type",
  HTTP_RESPONSE_STATUS_CODE: "http.response.status_code",

  PIPELINE_RUN_ID: "pipelex.pipeline.run_id",
  PIPE_CODE: "pipelex.pipe.code",
  PIPE_TYPE: "pipelex.pipe.type",
  PIPE_CATEGORY: "pipelex.pipe.category",
  OUTPUT_CLASS_NAME: "pipelex.output.class_name",
  OUTCOME: "pipelex.outcome",
  SPAN_CATEGORY: "pipelex.span.category",
  IMAGE_WIDTH: "pipelex.image.width",
  IMAGE_HEIGHT: "pipelex.image.height",
  STRUCTURING_METHOD: "pipelex.structuring_method",
  JOB_ID: "pipelex.job.id",
  ERROR_CODE: "pipelex.error.code",
  /** Trace name, set on a run's root pipe span: `{pipeCode}_{first 8 hex of the trace id}`. */
  TRACE_NAME: "pipelex.trace.name",
  /** Unknown `params` keys, as one JSON object; full-data only (dropContent removes it, the gateway never reads it). */
  PARAMS: "pipelex.params",
  USER_ID: "user.id",
  SESSION_ID: "session.id",
} as const;

export type AttributeKey = (typeof ATTR)[keyof typeof ATTR];

/** Standard exception event keys (OpenTelemetry semantic conventions). */
export const EXCEPTION_EVENT = {
  NAME: "exception",
  TYPE: "exception.type",
  MESSAGE: "exception.message",
  STACKTRACE: "exception.stacktrace",
} as const;

export type SpanCategory = "pipe" | "inference";
export type Outcome = "success" | "failure";

/** Resource attributes shared with the Python implementation. */
export const RESOURCE_DEFAULTS = {
  SERVICE_NAME: "pipelex",
  SERVICE_NAMESPACE: "ai.orchestration",
} as const;

/** Placeholders the redactors write, same as the Python implementation. */
export const REDACTED = "[REDACTED]";
export const REDACTED_CLASS_NAME = "Object";
export const TRUNCATED_SUFFIX = "... [truncated]";
