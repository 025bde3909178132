import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { createTelemetry, type Telemetry } from "@pipelex/telemetry-core";
import { inMemoryDestination } from "@pipelex/telemetry-core/testing";
import { describe, expect, it } from "vitest";
import { SpanEventMapper } from "./mapper.js";

async function record(run: (t: Telemetry) => Promise<unknown>): Promise<ReadableSpan[]> {
  const memory = inMemoryDestination();
  const telemetry = createTelemetry({ env: {}, destinations: [memory.destination] });
  await run(telemetry);
  await telemetry.shutdown({ timeoutMs: 1000 });
  return memory.spans();
}

const nested = (t: Telemetry) =>
  t.pipeRun({ runId: "r", pipeCode: "outer", pipeType: "PipeSequence" }, () =>
    t.inference({ model: "m", provider: "p", operation: "chat" }, async () => "x"),
  );

describe("SpanEventMapper", () => {
  it("writes the guard properties on every event, trace-start included, even when redactProperties names them", async () => {
    const spans = await record(nested);
    const guard = { $process_person_profile: false };
    const drafts = await new SpanEventMapper(["$process_person_profile", "$ai_span_name"], guard).map(spans);
    expect(drafts).toHaveLength(3);
    for (const draft of drafts) {
      expect(draft.properties.$process_person_profile).toBe(false);
      expect(draft.properties.$ai_span_name).toBeUndefined();
    }
  });

  it("puts one trace-start first per new trace, named from the root when it is in the batch", async () => {
    const spans = await record(nested);
    const drafts = await new SpanEventMapper([]).map(spans);
    expect(drafts.map((d) => d.event)).toEqual(["$ai_span", "$ai_generation", "$ai_span"]);
    const [start] = drafts;
    const traceId = spans[0]!.spanContext().traceId;
    expect(start!.startsTrace).toBe(traceId);
    expect(start!.properties).toMatchObject({
      $ai_span_id: traceId,
      $ai_trace_name: `outer_${traceId.slice(0, 8)}`,
    });
    // The trace-start is stamped at the trace's earliest start, so it sorts first in PostHog.
    expect(start!.timestamp.getTime()).toBeLessThanOrEqual(
      Math.min(...drafts.slice(1).map((d) => d.timestamp.getTime())),
    );
  });

  it("without the root in the batch, names the trace from its id; later batches of the trace get no second start", async () => {
    const spans = await record(nested);
    const mapper = new SpanEventMapper([]);
    const inference = spans.filter((s) => s.attributes["pipelex.span.category"] === "inference");
    const root = spans.filter((s) => s.attributes["pipelex.span.category"] === "pipe");
    const first = await mapper.map(inference);
    const traceId = spans[0]!.spanContext().traceId;
    expect(first[0]!.properties.$ai_trace_name).toBe(traceId.slice(0, 8));
    const second = await mapper.map(root);
    expect(second.map((d) => d.event)).toEqual(["$ai_span"]);
    expect(second[0]!.properties.$ai_trace_name).toBe(`outer_${traceId.slice(0, 8)}`);
  });

  it("two batches mapped at once: the one that arrived first names the trace", async () => {
    const spans = await record(nested);
    const mapper = new SpanEventMapper([]);
    const root = spans.filter((s) => s.attributes["pipelex.span.category"] === "pipe");
    const inference = spans.filter((s) => s.attributes["pipelex.span.category"] === "inference");
    // The first batch is large, so its mapping takes more slices than the second's.
    const large = Array.from({ length: 5000 }, () => root[0]!);
    const [first, second] = await Promise.all([mapper.map(large), mapper.map(inference)]);
    const traceId = spans[0]!.spanContext().traceId;
    expect(first[0]!.startsTrace).toBe(traceId);
    expect(first[0]!.properties.$ai_trace_name).toBe(`outer_${traceId.slice(0, 8)}`);
    expect(second.some((d) => d.startsTrace !== undefined)).toBe(false);
  });

  it("sends a trace-start again after forgetTraceStart (its delivery failed)", async () => {
    const spans = await record(nested);
    const mapper = new SpanEventMapper([]);
    const [start] = await mapper.map(spans);
    mapper.forgetTraceStart(start!.startsTrace!);
    expect((await mapper.map(spans))[0]!.uuid).toBe(start!.uuid);
  });

  it("maps only known attributes: user ids, run ids and unknown params never become properties", async () => {
    const spans = await record((t) =>
      t.pipeRun({ runId: "run-secret-1", pipeCode: "p", pipeType: "PipeLLM", userId: "user-secret-2" }, () =>
        t.inference(
          {
            model: "m",
            provider: "p",
            operation: "chat",
            params: { temperature: 1, customKnob: "knob-secret-3" },
          },
          async () => "x",
        ),
      ),
    );
    // The in-memory destination receives full data: the secrets are on the spans.
    expect(JSON.stringify(spans.map((s) => s.attributes))).toContain("knob-secret-3");
    const text = JSON.stringify(await new SpanEventMapper([]).map(spans));
    for (const secret of ["run-secret-1", "user-secret-2", "knob-secret-3", "customKnob"])
      expect(text).not.toContain(secret);
  });
});

describe("error codes", () => {
  it("maps code-shaped error codes and drops ones that could carry text", async () => {
    const codes = ["rate_limit_exceeded", "jane.doe@example.com", "/home/jane/contract.pdf", "a".repeat(65)];
    const spans = await record(async (t) => {
      for (const code of codes) {
        await t
          .inference({ model: "m", provider: "p", operation: "chat" }, async () => {
            throw Object.assign(new Error("provider said no"), { code });
          })
          .catch(() => undefined);
      }
    });
    const sent = (await new SpanEventMapper([]).map(spans))
      .filter((d) => d.event === "$ai_generation")
      .map((d) => d.properties.pipelex_error_code);
    expect(sent).toEqual(["rate_limit_exceeded", undefined, undefined, undefined]);
  });

  it("sends session and job ids only when code-shaped, even when the policy let them through", async () => {
    const spans = await record(async (t) =>
      t.pipeRun({ runId: "r", pipeCode: "p", pipeType: "PipeLLM", sessionId: "jane.doe@example.com" }, () =>
        t.inference(
          { model: "m", provider: "p", operation: "chat", jobId: "/home/jane/job 1" },
          async () => "x",
        ),
      ),
    );
    const props = (await new SpanEventMapper([]).map(spans)).map((d) => d.properties);
    expect(props.every((p) => p.$ai_session_id === undefined && p.pipelex_job_id === undefined)).toBe(true);
    const ok = await record(async (t) =>
      t.pipeRun({ runId: "r", pipeCode: "p", pipeType: "PipeLLM", sessionId: "sess-1" }, () =>
        t.inference({ model: "m", provider: "p", operation: "chat", jobId: "job-1" }, async () => "x"),
      ),
    );
    const okProps = (await new SpanEventMapper([]).map(ok)).map((d) => d.properties);
    expect(okProps.some((p) => p.$ai_session_id === "sess-1")).toBe(true);
    expect(okProps.some((p) => p.pipelex_job_id === "job-1")).toBe(true);
  });
});
