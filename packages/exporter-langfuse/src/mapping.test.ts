import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { ATTR, createTelemetry } from "@pipelex/telemetry-core";
import { copySpan } from "@pipelex/telemetry-core/plugin";
import { inMemoryDestination, runSampleWorkflow } from "@pipelex/telemetry-core/testing";
import { describe, expect, it } from "vitest";
import { toLangfuseSpan } from "./mapping.js";

async function sampleSpans(): Promise<ReadableSpan[]> {
  const memory = inMemoryDestination("sample");
  const telemetry = createTelemetry({ env: {}, destinations: [memory.destination] });
  await runSampleWorkflow(telemetry);
  await telemetry.shutdown({ timeoutMs: 1000 });
  return memory.spans();
}

function frozen(span: ReadableSpan): ReadableSpan {
  return copySpan(span, { attributes: Object.freeze({ ...span.attributes }) });
}

describe("toLangfuseSpan", () => {
  it("marks pipe spans as spans and inference spans as generations; trace name on the root only", async () => {
    const spans = await sampleSpans();
    const mapped = spans.map((span) =>
      toLangfuseSpan(frozen(span), { environment: "staging", release: "1.2.3" }),
    );
    const root = mapped.find((s) => s.parentSpanContext === undefined)!;
    expect(root.attributes["langfuse.observation.type"]).toBe("span");
    expect(root.attributes["langfuse.trace.name"]).toBe(root.attributes[ATTR.TRACE_NAME]);
    expect(String(root.attributes["langfuse.trace.name"])).toMatch(/^summarize_contract_[0-9a-f]{8}$/);
    const generations = mapped.filter((s) => s.attributes[ATTR.SPAN_CATEGORY] === "inference");
    expect(generations).toHaveLength(2);
    for (const generation of generations) {
      expect(generation.attributes["langfuse.observation.type"]).toBe("generation");
      expect(generation.attributes["langfuse.trace.name"]).toBeUndefined();
    }
    for (const span of mapped) {
      expect(span.attributes["langfuse.environment"]).toBe("staging");
      expect(span.attributes["langfuse.release"]).toBe("1.2.3");
    }
  });

  it("copies: the source span, ids, parents, events and status are carried over untouched", async () => {
    const [source] = (await sampleSpans()).filter((s) => s.attributes[ATTR.SPAN_CATEGORY] === "inference");
    const input = frozen(source!);
    const before = JSON.stringify(input.attributes);
    const mapped = toLangfuseSpan(input, {});
    expect(JSON.stringify(input.attributes)).toBe(before);
    expect(mapped).not.toBe(input);
    expect(mapped.attributes).not.toBe(input.attributes);
    expect(Object.isFrozen(mapped.attributes)).toBe(false);
    expect(mapped.spanContext()).toEqual(input.spanContext());
    expect(mapped.parentSpanContext).toEqual(input.parentSpanContext);
    expect(mapped.name).toBe(input.name);
    expect(mapped.events).toEqual(input.events);
    expect(mapped.status).toEqual(input.status);
    expect(mapped.attributes["langfuse.environment"]).toBeUndefined();
  });

  it("lets a value already on the span win, and leaves spans of other categories untyped", async () => {
    const [span] = await sampleSpans();
    const custom = copySpan(span!, {
      attributes: {
        ...span!.attributes,
        "langfuse.observation.type": "agent",
        [ATTR.SPAN_CATEGORY]: "other",
      },
    });
    expect(toLangfuseSpan(custom, {}).attributes["langfuse.observation.type"]).toBe("agent");
    const other = copySpan(span!, { attributes: { [ATTR.SPAN_CATEGORY]: "other" } });
    expect(toLangfuseSpan(other, {}).attributes["langfuse.observation.type"]).toBeUndefined();
  });
});
