import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { type TelemetrySpan, toTelemetrySpan } from "@pipelex/telemetry-core/plugin";
import { PACKAGE_NAME, PACKAGE_VERSION } from "../version.js";
import {
  closedValue,
  GEN_AI_OPERATIONS,
  OUTPUT_TYPES,
  PIPE_CATEGORIES,
  PIPE_TYPES,
  STRUCTURING_METHODS,
} from "./closed-sets.js";
import type { GatewayEvent, GatewayEventProperties, GatewayModelParameters } from "./gateway-event.js";
import {
  count,
  dimension,
  errorCode,
  hexId,
  httpStatus,
  isoTime,
  latencySeconds,
  modelName,
  outcome,
  seed,
  temperature,
} from "./values.js";

export interface EventIdentity {
  readonly distinctId: string;
  /** Per-event id source; random version 4 UUIDs in production (uuid.ts). */
  readonly newUuid: () => string;
}

/**
 * Maps one span to the gateway's event, reading only allowlisted fields of the typed view and
 * copying each through its type check into a new object. Returns undefined for spans that are
 * neither a pipe nor an inference span (nothing to say about them). Names, pipe codes, class
 * names, content, error messages, user/session/run/job ids are never read.
 */
export function toGatewayEvent(span: ReadableSpan, identity: EventIdentity): GatewayEvent | undefined {
  const view = toTelemetrySpan(span);
  if (view.category !== "pipe" && view.category !== "inference") return undefined;
  const isError = view.outcome === "failure" || view.error !== undefined;
  const properties: GatewayEventProperties = {
    $process_person_profile: false,
    $ai_lib: PACKAGE_NAME,
    $ai_lib_version: PACKAGE_VERSION,
    $ai_is_error: isError,
  };
  assign(properties, "$ai_trace_id", hexId(view.traceId, 32));
  assign(properties, "$ai_span_id", hexId(view.spanId, 16));
  assign(properties, "$ai_parent_id", hexId(view.parentSpanId, 16));
  assign(properties, "$ai_latency", latencySeconds(view.durationMs));
  assign(properties, "pipelex_pipe_type", closedValue(view.pipe.type, PIPE_TYPES));
  assign(properties, "pipelex_pipe_category", closedValue(view.pipe.category, PIPE_CATEGORIES));
  assign(properties, "pipelex_outcome", outcome(view.outcome));
  if (view.error) {
    assign(properties, "pipelex_error_type", errorCode(view.error.type));
    assign(properties, "pipelex_error_code", errorCode(view.error.code));
    assign(properties, "$ai_http_status", httpStatus(view.error.httpStatus));
  }
  if (view.category === "inference" && view.genAi) {
    const ai = view.genAi;
    assign(properties, "$ai_model", modelName(ai.requestModel));
    assign(properties, "pipelex_response_model", modelName(ai.responseModel));
    assign(properties, "$ai_provider", modelName(ai.provider));
    assign(properties, "pipelex_operation", closedValue(ai.operation, GEN_AI_OPERATIONS));
    assign(properties, "pipelex_output_type", closedValue(ai.outputType, OUTPUT_TYPES));
    assign(properties, "$ai_input_tokens", count(view.usage.inputTokens));
    assign(properties, "$ai_output_tokens", count(view.usage.outputTokens));
    const parameters = modelParameters(ai.params);
    if (parameters) properties.$ai_model_parameters = parameters;
  }
  const event: GatewayEvent = {
    event: view.category === "inference" ? "$ai_generation" : "$ai_span",
    distinct_id: identity.distinctId,
    uuid: identity.newUuid(),
    properties,
  };
  assign(event, "timestamp", isoTime(view.startTimeMs));
  return event;
}

/** The checked model parameters; undefined when none is set (then no object is made). */
function modelParameters(params: InferenceParams): GatewayModelParameters | undefined {
  const t = temperature(params.temperature);
  const maxTokens = count(params.maxTokens);
  const s = seed(params.seed);
  const width = dimension(params.width);
  const height = dimension(params.height);
  const method = closedValue(params.structuringMethod, STRUCTURING_METHODS);
  const none =
    t === undefined &&
    maxTokens === undefined &&
    s === undefined &&
    width === undefined &&
    height === undefined &&
    method === undefined;
  if (none) return undefined;
  const parameters: GatewayModelParameters = {};
  assign(parameters, "temperature", t);
  assign(parameters, "max_tokens", maxTokens);
  assign(parameters, "seed", s);
  assign(parameters, "width", width);
  assign(parameters, "height", height);
  assign(parameters, "structuring_method", method);
  return parameters;
}

type InferenceParams = NonNullable<TelemetrySpan["genAi"]>["params"];

/** Sets the key only when the checked value exists, so absent fields are absent, not `null`. */
function assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}
