import type { ReceiverReply } from "./http-receiver.js";
import { type OtlpExportRequest, type OtlpReceiver, startOtlpReceiver } from "./otlp.js";
import type { OtlpSpan, OtlpValue } from "./otlp-decode.js";

/**
 * A loopback stand-in for Langfuse's OpenTelemetry ingestion
 * (`POST {baseUrl}/api/public/otel/v1/traces`). Like Langfuse it answers 401 unless the
 * request carries `Authorization: Basic base64(publicKey:secretKey)` for the project's key
 * pair, and it decodes the OTLP body (JSON or protobuf) with the OTLP receiver's decoder.
 * `langfuseObservation()` reads a received span the way Langfuse's server maps OTel
 * attributes to observations and traces.
 */

export const LANGFUSE_OTEL_TRACES_PATH = "/api/public/otel/v1/traces";

/** The Authorization header value Langfuse accepts for a key pair. */
export function langfuseBasicAuth(publicKey: string, secretKey: string): string {
  return `Basic ${Buffer.from(`${publicKey}:${secretKey}`, "utf8").toString("base64")}`;
}

export interface LangfuseReceiverOptions {
  readonly publicKey: string;
  readonly secretKey: string;
  readonly port?: number;
}

export interface LangfuseReceiver {
  /** The base URL to configure as the Langfuse endpoint: `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly tracesUrl: string;
  readonly port: number;
  /** Every decoded export request, whatever it was answered (401s included). */
  readonly exports: OtlpExportRequest[];
  /** The underlying OTLP receiver (rejected requests, raw HTTP recorder). */
  readonly otlp: OtlpReceiver;
  /** Replies used first, one per decoded request, before the auth check (e.g. 503 then success). */
  queueReplies(...replies: ReceiverReply[]): void;
  /** Requests refused with 401 (missing or wrong Basic credentials). */
  unauthorized(): OtlpExportRequest[];
  /** Spans of the requests answered 2xx: what Langfuse would ingest. */
  acceptedSpans(): OtlpSpan[];
  waitForExports(count: number, options?: { timeoutMs?: number }): Promise<OtlpExportRequest[]>;
  waitForAcceptedSpans(count: number, options?: { timeoutMs?: number }): Promise<OtlpSpan[]>;
  close(): Promise<void>;
}

const UNAUTHORIZED: ReceiverReply = {
  status: 401,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ message: "Invalid credentials. Confirm that you've configured the correct host." }),
};

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export async function startLangfuseReceiver(options: LangfuseReceiverOptions): Promise<LangfuseReceiver> {
  const expected = langfuseBasicAuth(options.publicKey, options.secretKey);
  const otlp = await startOtlpReceiver({
    port: options.port,
    path: LANGFUSE_OTEL_TRACES_PATH,
    reply: ({ request }) => (header(request.headers.authorization) === expected ? undefined : UNAUTHORIZED),
  });
  return {
    url: otlp.url,
    tracesUrl: otlp.tracesUrl,
    port: otlp.port,
    exports: otlp.exports,
    otlp,
    queueReplies: (...replies) => otlp.queueReplies(...replies),
    unauthorized: () => otlp.exports.filter((e) => e.status === 401),
    acceptedSpans: () => otlp.acceptedSpans(),
    waitForExports: (count, waitOptions) => otlp.waitForExports(count, waitOptions),
    waitForAcceptedSpans: (count, waitOptions) => otlp.waitForAcceptedSpans(count, waitOptions),
    close: () => otlp.close(),
  };
}

/** A received span as Langfuse would show it: an observation inside a trace. */
export interface LangfuseObservation {
  readonly id: string;
  readonly traceId: string;
  readonly parentObservationId: string | undefined;
  readonly name: string;
  readonly type: string;
  readonly model: string | undefined;
  readonly modelParameters: Record<string, OtlpValue>;
  readonly usage: { readonly input: number | undefined; readonly output: number | undefined };
  /** JSON-parsed when it is JSON, as Langfuse displays it. */
  readonly input: unknown;
  readonly output: unknown;
  readonly level: "ERROR" | "DEFAULT";
  readonly statusMessage: string | undefined;
  readonly trace: {
    readonly name: string | undefined;
    readonly userId: string | undefined;
    readonly sessionId: string | undefined;
    readonly environment: string;
    readonly release: string | undefined;
  };
}

const GENERATION_OPERATIONS = new Set(["chat", "text_completion", "generate_content"]);

const str = (value: OtlpValue | undefined): string | undefined =>
  typeof value === "string" ? value : undefined;
const num = (value: OtlpValue | undefined): number | undefined =>
  typeof value === "number" ? value : undefined;

function parsed(value: OtlpValue | undefined): unknown {
  if (typeof value !== "string") return value ?? undefined;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * Langfuse's server-side mapping of OTel attributes, as documented: `langfuse.observation.type`
 * wins; else a GenAI chat/text_completion/generate_content operation or any
 * `gen_ai.request.model` makes a generation; model from the response then the request;
 * parameters from the other `gen_ai.request.*` keys; input/output from `langfuse.observation.*`
 * else `gen_ai.input.messages` / `gen_ai.output.messages`; trace fields from `langfuse.trace.name`,
 * `user.id`, `session.id`, `langfuse.environment`, `langfuse.release`.
 */
export function langfuseObservation(span: OtlpSpan): LangfuseObservation {
  const a = span.attributes;
  const operation = str(a["gen_ai.operation.name"]);
  const requestModel = str(a["gen_ai.request.model"]);
  const type =
    str(a["langfuse.observation.type"]) ??
    ((operation !== undefined && GENERATION_OPERATIONS.has(operation)) || requestModel !== undefined
      ? "generation"
      : "span");
  const modelParameters: Record<string, OtlpValue> = {};
  for (const [key, value] of Object.entries(a)) {
    if (key.startsWith("gen_ai.request.") && key !== "gen_ai.request.model") {
      modelParameters[key.slice("gen_ai.request.".length)] = value;
    }
  }
  const isError = span.status.codeName === "ERROR";
  return {
    id: span.spanId,
    traceId: span.traceId,
    parentObservationId: span.parentSpanId,
    name: span.name,
    type,
    model: str(a["gen_ai.response.model"]) ?? requestModel,
    modelParameters,
    usage: { input: num(a["gen_ai.usage.input_tokens"]), output: num(a["gen_ai.usage.output_tokens"]) },
    input: parsed(a["langfuse.observation.input"] ?? a["gen_ai.input.messages"]),
    output: parsed(a["langfuse.observation.output"] ?? a["gen_ai.output.messages"]),
    level: str(a["langfuse.observation.level"]) === "ERROR" || isError ? "ERROR" : "DEFAULT",
    statusMessage: str(a["langfuse.observation.status_message"]) ?? span.status.message,
    trace: {
      name: str(a["langfuse.trace.name"]),
      userId: str(a["user.id"]) ?? str(a["langfuse.user.id"]),
      sessionId: str(a["session.id"]) ?? str(a["langfuse.session.id"]),
      environment: str(a["langfuse.environment"]) ?? "default",
      release: str(a["langfuse.release"]),
    },
  };
}
