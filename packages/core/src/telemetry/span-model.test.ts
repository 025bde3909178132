import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { ATTR } from "../span/attributes.js";
import { inMemoryDestination } from "../testing/in-memory.js";
import { runSampleWorkflow } from "../testing/sample-workflow.js";
import { CORE_VERSION } from "../version.js";
import { createTelemetry } from "./create-telemetry.js";

describe("span model", () => {
  it("nests inference spans under the current pipe span across awaits, and pipes under pipes", async () => {
    const memory = inMemoryDestination();
    const telemetry = createTelemetry({ env: {}, destinations: [memory.destination] });
    const result = await telemetry.pipeRun(
      { runId: "run-1", pipeCode: "outer", pipeType: "PipeSequence" },
      async () => {
        await new Promise((r) => setTimeout(r, 5));
        const inner = await telemetry.pipeRun(
          { runId: "run-1", pipeCode: "inner", pipeType: "PipeLLM" },
          async () => {
            await Promise.resolve();
            return telemetry.inference(
              { model: "gpt-4o", provider: "openai", operation: "chat" },
              async () => "answer",
            );
          },
        );
        // Concurrent siblings keep their own parents.
        await Promise.all([
          telemetry.inference({ model: "a", provider: "p", operation: "chat" }, async () => undefined),
          telemetry.inference({ model: "b", provider: "p", operation: "chat" }, async () => undefined),
        ]);
        return inner;
      },
    );
    expect(result).toBe("answer");
    await telemetry.forceFlush();
    const views = memory.views();
    const byName = (n: string) => views.find((s) => s.name === n)!;
    const outer = byName("PipeSequence: outer");
    const inner = byName("PipeLLM: inner");
    expect(outer.parentSpanId).toBeUndefined();
    expect(outer.traceName).toBe(`outer_${outer.traceId.slice(0, 8)}`);
    expect(inner.parentSpanId).toBe(outer.spanId);
    expect(inner.traceName).toBeUndefined();
    expect(byName("inner: (gpt-4o) -> text").parentSpanId).toBe(inner.spanId);
    expect(byName("outer: (a) -> text").parentSpanId).toBe(outer.spanId);
    expect(byName("outer: (b) -> text").parentSpanId).toBe(outer.spanId);
    expect(new Set(views.map((v) => v.traceId)).size).toBe(1);
  });

  it("records GenAI attributes, usage, outcome and errors per the schema", async () => {
    const memory = inMemoryDestination();
    const telemetry = createTelemetry({
      env: {},
      destinations: [memory.destination],
      serviceVersion: "9.9.9",
      environment: "test",
    });
    await runSampleWorkflow(telemetry);
    await telemetry.forceFlush();
    const spans = memory.spans();
    const ok = spans.find((s) => s.attributes[ATTR.JOB_ID] === "job-1")!;
    expect(ok.kind).toBe(SpanKind.CLIENT);
    expect(ok.attributes).toMatchObject({
      [ATTR.GEN_AI_OPERATION_NAME]: "chat",
      [ATTR.GEN_AI_PROVIDER_NAME]: "openai",
      [ATTR.GEN_AI_REQUEST_MODEL]: "gpt-4o",
      [ATTR.GEN_AI_RESPONSE_MODEL]: "gpt-4o-2024-08-06",
      [ATTR.GEN_AI_REQUEST_TEMPERATURE]: 0.2,
      [ATTR.GEN_AI_REQUEST_MAX_TOKENS]: 500,
      [ATTR.GEN_AI_USAGE_INPUT_TOKENS]: 42,
      [ATTR.GEN_AI_USAGE_OUTPUT_TOKENS]: 17,
      [ATTR.OUTCOME]: "success",
      [ATTR.SPAN_CATEGORY]: "inference",
      [ATTR.OUTPUT_CLASS_NAME]: "ContractSummary",
    });
    const failed = spans.find((s) => s.attributes[ATTR.JOB_ID] === "job-2")!;
    expect(failed.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed.attributes).toMatchObject({
      [ATTR.ERROR_TYPE]: "SampleProviderError",
      [ATTR.ERROR_CODE]: "context_length_exceeded",
      [ATTR.HTTP_RESPONSE_STATUS_CODE]: 400,
      [ATTR.OUTCOME]: "failure",
    });
    expect(failed.events.map((e) => e.name)).toEqual(["exception"]);
    const pipe = spans.find((s) => s.attributes[ATTR.SPAN_CATEGORY] === "pipe")!;
    expect(pipe.kind).toBe(SpanKind.INTERNAL);
    expect(pipe.name).toBe("PipeLLM: summarize_contract");
    expect(pipe.resource.attributes).toMatchObject({
      "service.name": "pipelex",
      "service.namespace": "ai.orchestration",
      "service.version": "9.9.9",
      "deployment.environment": "test",
    });
    expect(pipe.instrumentationScope.name).toBe("@pipelex/telemetry-core");
  });

  it("returns what the callback returns and rethrows what it throws, sync and async", async () => {
    const telemetry = createTelemetry({ env: {}, destinations: [inMemoryDestination().destination] });
    const info = { runId: "r", pipeCode: "p", pipeType: "PipeFunc" };
    expect(telemetry.pipeRun(info, () => 7)).toBe(7);
    await expect(telemetry.pipeRun(info, async () => 8)).resolves.toBe(8);
    const boom = new TypeError("boom");
    expect(() =>
      telemetry.pipeRun(info, () => {
        throw boom;
      }),
    ).toThrow(boom);
    await expect(telemetry.pipeRun(info, async () => Promise.reject(boom))).rejects.toBe(boom);
  });

  it("keeps unknown params only as full-data attributes", async () => {
    const memory = inMemoryDestination();
    const telemetry = createTelemetry({ env: {}, destinations: [memory.destination] });
    telemetry.inference(
      { model: "m", provider: "p", operation: "chat", params: { temperature: 1, topK: 5, style: { a: 1 } } },
      () => undefined,
    );
    await telemetry.forceFlush();
    expect(memory.spans()[0]?.attributes).toMatchObject({ "pipelex.params": '{"topK":5,"style":{"a":1}}' });
    expect(memory.spans()[0]?.attributes["gen_ai.request.temperature"]).toBe(1);
  });

  it("core version constant matches package.json", async () => {
    const pkg = (await import("../../package.json", { with: { type: "json" } })).default as {
      version: string;
    };
    expect(CORE_VERSION).toBe(pkg.version);
  });

  it("rejects duplicate destination names and non-destinations with TelemetryConfigError", () => {
    const a = inMemoryDestination("same").destination;
    const b = inMemoryDestination("same").destination;
    expect(() => createTelemetry({ env: {}, destinations: [a, b] })).toThrow(
      /two destinations are named "same"/,
    );
    expect(() => createTelemetry({ env: {}, destinations: [{} as never] })).toThrow(/is not a destination/);
  });
});

describe("several telemetry instances", () => {
  it("keep their own nesting when their calls interleave", async () => {
    const a = inMemoryDestination("a");
    const b = inMemoryDestination("b");
    const first = createTelemetry({ env: {}, destinations: [a.destination] });
    const second = createTelemetry({ env: {}, destinations: [b.destination] });
    await first.pipeRun({ runId: "r1", pipeCode: "outer_a", pipeType: "PipeSequence" }, () =>
      second.pipeRun({ runId: "r2", pipeCode: "outer_b", pipeType: "PipeSequence" }, async () => {
        await Promise.resolve();
        await first.inference({ model: "m", provider: "p", operation: "chat" }, async () => undefined);
        await second.inference({ model: "m", provider: "p", operation: "chat" }, async () => undefined);
      }),
    );
    await first.forceFlush();
    await second.forceFlush();
    const pipeA = a.views().find((s) => s.category === "pipe")!;
    const pipeB = b.views().find((s) => s.category === "pipe")!;
    expect(a.views().find((s) => s.category === "inference")?.parentSpanId).toBe(pipeA.spanId);
    expect(b.views().find((s) => s.category === "inference")?.parentSpanId).toBe(pipeB.spanId);
    expect(pipeB.parentSpanId).toBeUndefined();
  });
});

describe("span ending", () => {
  it("ends every span when a settled promise is handed back again by a later call", async () => {
    const memory = inMemoryDestination();
    const telemetry = createTelemetry({ env: {}, destinations: [memory.destination] });
    const shared = telemetry.inference(
      { model: "m", provider: "p", operation: "chat" },
      async () => "cached",
    );
    await shared;
    const info = { runId: "r", pipeCode: "reuse", pipeType: "PipeFunc" };
    await telemetry.pipeRun(info, () => shared);
    await telemetry.pipeRun(info, () => shared);
    await telemetry.forceFlush();
    expect(memory.spans().map((s) => s.name)).toEqual(["chat m", "PipeFunc: reuse", "PipeFunc: reuse"]);
  });

  it("ends a pipe span and its inference span together, inner first, when they share a promise", async () => {
    const memory = inMemoryDestination();
    const telemetry = createTelemetry({ env: {}, destinations: [memory.destination] });
    await expect(
      telemetry.pipeRun({ runId: "r", pipeCode: "p", pipeType: "PipeLLM" }, () =>
        telemetry.inference({ model: "m", provider: "p", operation: "chat" }, async () => {
          throw new RangeError("boom");
        }),
      ),
    ).rejects.toThrow("boom");
    await telemetry.forceFlush();
    const views = memory.views();
    expect(views.map((v) => v.category)).toEqual(["inference", "pipe"]);
    expect(views.every((v) => v.outcome === "failure" && v.error?.type === "RangeError")).toBe(true);
  });
});
