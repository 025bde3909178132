import { ATTR, createTelemetry, dropContent } from "@pipelex/telemetry-core";
import { type OtlpReceiver, type OtlpSpan, startOtlpReceiver } from "@pipelex/test-receivers";
import { afterEach, describe, expect, it } from "vitest";
import { otlp } from "../src/index.js";
import { COMPLETION, ERROR_MESSAGE, PROMPT, PROMPT_DELIVERY, runWorkflow } from "./helpers.js";

let receiver: OtlpReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function exportWorkflow(options: Partial<Parameters<typeof otlp>[0]> = {}) {
  receiver = await startOtlpReceiver();
  const telemetry = createTelemetry({
    env: {},
    serviceVersion: "1.2.3",
    environment: "test",
    destinations: [
      otlp({ name: "collector", endpoint: receiver.tracesUrl, delivery: PROMPT_DELIVERY, ...options }),
    ],
  });
  await runWorkflow(telemetry);
  await telemetry.forceFlush();
  const spans = await receiver.waitForAcceptedSpans(3, { timeoutMs: 5000 });
  const report = await telemetry.shutdown({ timeoutMs: 2000 });
  return { spans, report, telemetry, receiver };
}

function byName(spans: readonly OtlpSpan[]) {
  const pipe = spans.find((s) => s.name === "PipeLLM: summarize");
  const ok = spans.find((s) => s.name === "summarize: job-1 (gpt-4o) -> text");
  const failed = spans.find((s) => s.name === "summarize: job-2 (gpt-4o-mini) -> text");
  if (!pipe || !ok || !failed)
    throw new Error(`unexpected span names: ${spans.map((s) => s.name).join(", ")}`);
  return { pipe, ok, failed };
}

function expectFullWorkflow(spans: readonly OtlpSpan[]) {
  expect(spans).toHaveLength(3);
  const { pipe, ok, failed } = byName(spans);

  // Parent/child links: one trace, the pipe span is the root, both calls are its children.
  expect(pipe.parentSpanId).toBeUndefined();
  expect(ok.parentSpanId).toBe(pipe.spanId);
  expect(failed.parentSpanId).toBe(pipe.spanId);
  expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
  expect(pipe.traceId).toMatch(/^[0-9a-f]{32}$/);
  expect(pipe.traceId).not.toBe("0".repeat(32));
  expect(pipe.kindName).toBe("INTERNAL");
  expect(ok.kindName).toBe("CLIENT");

  expect(pipe.attributes).toMatchObject({
    [ATTR.SPAN_CATEGORY]: "pipe",
    [ATTR.PIPELINE_RUN_ID]: "run-otlp-0001",
    [ATTR.PIPE_CODE]: "summarize",
    [ATTR.PIPE_TYPE]: "PipeLLM",
    [ATTR.PIPE_CATEGORY]: "PipeOperator",
    [ATTR.OUTCOME]: "success",
  });

  // GenAI attributes and usage, with their wire types (int64 / double).
  expect(ok.attributes).toMatchObject({
    [ATTR.SPAN_CATEGORY]: "inference",
    [ATTR.GEN_AI_OPERATION_NAME]: "chat",
    [ATTR.GEN_AI_PROVIDER_NAME]: "openai",
    [ATTR.GEN_AI_REQUEST_MODEL]: "gpt-4o",
    [ATTR.GEN_AI_RESPONSE_MODEL]: "gpt-4o-2024-08-06",
    [ATTR.GEN_AI_REQUEST_TEMPERATURE]: 0.2,
    [ATTR.GEN_AI_REQUEST_MAX_TOKENS]: 500,
    [ATTR.GEN_AI_REQUEST_SEED]: 7,
    [ATTR.GEN_AI_OUTPUT_TYPE]: "text",
    [ATTR.GEN_AI_USAGE_INPUT_TOKENS]: 42,
    [ATTR.GEN_AI_USAGE_OUTPUT_TOKENS]: 17,
    [ATTR.OUTCOME]: "success",
  });
  expect(ok.status.codeName).toBe("UNSET");
  expect(ok.endTimeUnixNano).toBeGreaterThanOrEqual(ok.startTimeUnixNano);

  // The failing inference: status ERROR, error.type, and the exception event.
  expect(failed.status.codeName).toBe("ERROR");
  expect(failed.attributes).toMatchObject({
    [ATTR.ERROR_TYPE]: "ProviderError",
    [ATTR.ERROR_CODE]: "context_length_exceeded",
    [ATTR.HTTP_RESPONSE_STATUS_CODE]: 400,
    [ATTR.OUTCOME]: "failure",
  });
  const exception = failed.events.find((e) => e.name === "exception");
  expect(exception?.attributes["exception.type"]).toBe("ProviderError");

  // Resource, as core builds it.
  for (const span of spans) {
    expect(span.resource).toMatchObject({
      "service.name": "pipelex",
      "service.namespace": "ai.orchestration",
      "service.version": "1.2.3",
      "deployment.environment": "test",
    });
    expect(span.scope.name).toBe("@pipelex/telemetry-core");
  }
  return { pipe, ok, failed, exception };
}

describe("otlp() against a decoding receiver", () => {
  it("sends full span data as http/protobuf by default", async () => {
    const { spans, report, receiver } = await exportWorkflow();
    const { ok, failed, exception } = expectFullWorkflow(spans);
    // Full data: content, error message and stack reach the user's own collector.
    expect(String(ok.attributes[ATTR.GEN_AI_INPUT_MESSAGES])).toContain(PROMPT);
    expect(String(ok.attributes[ATTR.GEN_AI_OUTPUT_MESSAGES])).toContain(COMPLETION);
    expect(failed.status.message).toBe(ERROR_MESSAGE);
    expect(exception?.attributes["exception.message"]).toBe(ERROR_MESSAGE);
    expect(String(exception?.attributes["exception.stacktrace"])).toContain("helpers.ts");

    const request = receiver.exports[0]!;
    expect(request.encoding).toBe("protobuf");
    expect(request.request.headers["content-type"]).toBe("application/x-protobuf");
    expect(request.request.headers["content-encoding"]).toBeUndefined();
    expect(request.request.headers["user-agent"]).toMatch(/^@pipelex\/telemetry-exporter-otlp\/\d/);
    expect(report.destinations.collector).toMatchObject({ exported: 3, notDelivered: 0, timedOut: false });
  });

  it("sends http/json, decoded with the OTLP JSON mapping", async () => {
    const { spans, receiver } = await exportWorkflow({ protocol: "http/json" });
    expectFullWorkflow(spans);
    expect(receiver.exports[0]!.encoding).toBe("json");
    expect(receiver.exports[0]!.request.headers["content-type"]).toBe("application/json");
  });

  it.each(["http/protobuf", "http/json"] as const)(
    "gzips %s bodies when compression is gzip",
    async (protocol) => {
      const { spans, receiver } = await exportWorkflow({ protocol, compression: "gzip" });
      expectFullWorkflow(spans);
      const request = receiver.exports[0]!.request;
      expect(request.headers["content-encoding"]).toBe("gzip");
      // The bytes on the wire are a gzip stream (magic 1f 8b), smaller than the body they carry.
      expect([...request.rawBody.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
      expect(request.rawBody.length).toBeLessThan(request.body.length);
    },
  );

  it("sends less only when the app asks: redact narrows the full data", async () => {
    const { spans } = await exportWorkflow({ redact: [dropContent()] });
    const { ok, failed } = byName(spans);
    const exception = failed.events.find((e) => e.name === "exception");
    expect(exception?.attributes["exception.type"]).toBe("ProviderError");
    expect(ok.attributes[ATTR.GEN_AI_INPUT_MESSAGES]).toBeUndefined();
    expect(ok.attributes[ATTR.GEN_AI_OUTPUT_MESSAGES]).toBeUndefined();
    expect(ok.attributes[ATTR.GEN_AI_USAGE_INPUT_TOKENS]).toBe(42);
    expect(failed.status.codeName).toBe("ERROR");
    expect(failed.status.message).toBeUndefined();
    expect(exception?.attributes["exception.message"]).toBeUndefined();
    expect(JSON.stringify(spans, (_k, v) => (typeof v === "bigint" ? String(v) : v))).not.toContain(PROMPT);
  });
});
