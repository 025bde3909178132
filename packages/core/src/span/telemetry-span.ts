import { type AttributeValue, type HrTime, SpanKind, SpanStatusCode } from "@opentelemetry/api";
import type { ReadableSpan, TimedEvent } from "@opentelemetry/sdk-trace-base";
import { ATTR, EXCEPTION_EVENT, type Outcome, type SpanCategory } from "./attributes.js";

/** A typed, read-only view of a span, for exporters that map spans to events (PostHog, the gateway). */
export interface TelemetrySpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly name: string;
  readonly kind: "internal" | "server" | "client" | "producer" | "consumer";
  readonly category: SpanCategory | undefined;
  readonly startTimeMs: number;
  readonly endTimeMs: number;
  readonly durationMs: number;
  readonly traceName: string | undefined;
  readonly pipe: {
    readonly runId: string | undefined;
    readonly code: string | undefined;
    readonly type: string | undefined;
    readonly category: string | undefined;
  };
  readonly genAi:
    | {
        readonly operation: string | undefined;
        readonly provider: string | undefined;
        readonly requestModel: string | undefined;
        readonly responseModel: string | undefined;
        readonly outputType: string | undefined;
        readonly outputClassName: string | undefined;
        readonly jobId: string | undefined;
        readonly params: {
          readonly temperature: number | undefined;
          readonly maxTokens: number | undefined;
          readonly seed: number | undefined;
          readonly width: number | undefined;
          readonly height: number | undefined;
          readonly structuringMethod: string | undefined;
        };
      }
    | undefined;
  readonly usage: { readonly inputTokens: number | undefined; readonly outputTokens: number | undefined };
  readonly outcome: Outcome | undefined;
  readonly error:
    | {
        readonly type: string | undefined;
        readonly code: string | undefined;
        readonly httpStatus: number | undefined;
        /** Content: present only where the destination receives content. */
        readonly message: string | undefined;
      }
    | undefined;
  /** Serialized `gen_ai.input.messages` / `gen_ai.output.messages`, where present. */
  readonly content: { readonly input: string | undefined; readonly output: string | undefined };
  readonly userId: string | undefined;
  readonly sessionId: string | undefined;
}

const KIND_NAMES = {
  [SpanKind.INTERNAL]: "internal",
  [SpanKind.SERVER]: "server",
  [SpanKind.CLIENT]: "client",
  [SpanKind.PRODUCER]: "producer",
  [SpanKind.CONSUMER]: "consumer",
} as const;

const str = (v: AttributeValue | undefined): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: AttributeValue | undefined): number | undefined =>
  typeof v === "number" && Number.isFinite(v) ? v : undefined;
const hrToMs = (t: HrTime): number => t[0] * 1e3 + t[1] / 1e6;

/** The span's exception event; looked up only for a failed span (the search costs a closure per call). */
function exceptionOf(span: ReadableSpan): TimedEvent | undefined {
  for (const event of span.events) if (event.name === EXCEPTION_EVENT.NAME) return event;
  return undefined;
}

export function toTelemetrySpan(span: ReadableSpan): TelemetrySpan {
  const a = span.attributes;
  const context = span.spanContext();
  const category = str(a[ATTR.SPAN_CATEGORY]);
  const isError = span.status.code === SpanStatusCode.ERROR;
  const startTimeMs = hrToMs(span.startTime);
  const endTimeMs = hrToMs(span.endTime);
  const outcome = str(a[ATTR.OUTCOME]);
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    parentSpanId: span.parentSpanContext?.spanId,
    name: span.name,
    kind: KIND_NAMES[span.kind] ?? "internal",
    category: category === "pipe" || category === "inference" ? category : undefined,
    startTimeMs,
    endTimeMs,
    durationMs: hrToMs(span.duration),
    traceName: str(a[ATTR.TRACE_NAME]),
    pipe: {
      runId: str(a[ATTR.PIPELINE_RUN_ID]),
      code: str(a[ATTR.PIPE_CODE]),
      type: str(a[ATTR.PIPE_TYPE]),
      category: str(a[ATTR.PIPE_CATEGORY]),
    },
    genAi:
      category === "inference"
        ? {
            operation: str(a[ATTR.GEN_AI_OPERATION_NAME]),
            provider: str(a[ATTR.GEN_AI_PROVIDER_NAME]),
            requestModel: str(a[ATTR.GEN_AI_REQUEST_MODEL]),
            responseModel: str(a[ATTR.GEN_AI_RESPONSE_MODEL]),
            outputType: str(a[ATTR.GEN_AI_OUTPUT_TYPE]),
            outputClassName: str(a[ATTR.OUTPUT_CLASS_NAME]),
            jobId: str(a[ATTR.JOB_ID]),
            params: {
              temperature: num(a[ATTR.GEN_AI_REQUEST_TEMPERATURE]),
              maxTokens: num(a[ATTR.GEN_AI_REQUEST_MAX_TOKENS]),
              seed: num(a[ATTR.GEN_AI_REQUEST_SEED]),
              width: num(a[ATTR.IMAGE_WIDTH]),
              height: num(a[ATTR.IMAGE_HEIGHT]),
              structuringMethod: str(a[ATTR.STRUCTURING_METHOD]),
            },
          }
        : undefined,
    usage: {
      inputTokens: num(a[ATTR.GEN_AI_USAGE_INPUT_TOKENS]),
      outputTokens: num(a[ATTR.GEN_AI_USAGE_OUTPUT_TOKENS]),
    },
    outcome: outcome === "success" || outcome === "failure" ? outcome : isError ? "failure" : undefined,
    error: isError
      ? {
          type: str(a[ATTR.ERROR_TYPE]),
          code: str(a[ATTR.ERROR_CODE]),
          httpStatus: num(a[ATTR.HTTP_RESPONSE_STATUS_CODE]),
          message: span.status.message ?? str(exceptionOf(span)?.attributes?.[EXCEPTION_EVENT.MESSAGE]),
        }
      : undefined,
    content: { input: str(a[ATTR.GEN_AI_INPUT_MESSAGES]), output: str(a[ATTR.GEN_AI_OUTPUT_MESSAGES]) },
    userId: str(a[ATTR.USER_ID]),
    sessionId: str(a[ATTR.SESSION_ID]),
  };
}
