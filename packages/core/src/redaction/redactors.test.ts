import { describe, expect, it } from "vitest";
import { TRUNCATED_SUFFIX } from "../span/attributes.js";
import { createTelemetry } from "../telemetry/create-telemetry.js";
import { inMemoryDestination } from "../testing/in-memory.js";
import { runSampleWorkflow, SAMPLE_CONTENT } from "../testing/sample-workflow.js";
import { dropAttributes } from "./drop-attributes.js";
import { dropContent } from "./drop-content.js";
import { redactClassNames, redactPipeCodes } from "./redact-names.js";
import { composeRedactors, defineRedactor } from "./redactor.js";
import { truncateContent } from "./truncate-content.js";

async function sampleThrough(...redact: Parameters<typeof composeRedactors>) {
  const memory = inMemoryDestination("d", { redact });
  const telemetry = createTelemetry({ env: {}, destinations: [memory.destination] });
  await runSampleWorkflow(telemetry);
  await telemetry.shutdown();
  return memory;
}

describe("built-in redactors", () => {
  it("redactPipeCodes replaces the code and rebuilds span and trace names", async () => {
    const memory = await sampleThrough(redactPipeCodes());
    const names = memory
      .spans()
      .map((s) => s.name)
      .sort();
    expect(names).toEqual([
      "PipeLLM: [REDACTED]",
      "[REDACTED]: job-1 (gpt-4o) -> ContractSummary",
      "[REDACTED]: job-2 (gpt-4o-mini) -> text",
    ]);
    const root = memory.views().find((s) => s.category === "pipe")!;
    expect(root.pipe.code).toBe("[REDACTED]");
    expect(root.traceName).toBe(root.traceId.slice(0, 8));
    expect(JSON.stringify(memory.spans().map((s) => [s.name, s.attributes]))).not.toContain(
      SAMPLE_CONTENT.pipeCode,
    );
  });

  it("redactClassNames replaces the class name, written `Object` in span names", async () => {
    const memory = await sampleThrough(redactClassNames(), redactPipeCodes());
    const inference = memory.views().find((s) => s.genAi?.jobId === "job-1")!;
    expect(inference.name).toBe("[REDACTED]: job-1 (gpt-4o) -> Object");
    expect(inference.genAi?.outputClassName).toBe("[REDACTED]");
  });

  it("truncateContent cuts content and error text with the suffix", async () => {
    const memory = await sampleThrough(truncateContent(10));
    const ok = memory.views().find((s) => s.genAi?.jobId === "job-1")!;
    expect(ok.content.input).toBe(`[{"role":"${TRUNCATED_SUFFIX}`);
    const failed = memory.views().find((s) => s.genAi?.jobId === "job-2")!;
    expect(failed.error?.message).toBe(`${SAMPLE_CONTENT.errorMessage.slice(0, 10)}${TRUNCATED_SUFFIX}`);
    expect(() => truncateContent(-1)).toThrow(RangeError);
  });

  it("dropAttributes removes exactly the given keys", async () => {
    const memory = await sampleThrough(dropAttributes(["gen_ai.request.temperature", "pipelex.job.id"]));
    for (const span of memory.spans()) {
      expect(span.attributes["gen_ai.request.temperature"]).toBeUndefined();
      expect(span.attributes["pipelex.job.id"]).toBeUndefined();
    }
    expect(memory.views().find((s) => s.category === "inference")?.genAi?.requestModel).toBeDefined();
  });

  it("dropContent keeps the exception event with its type only", async () => {
    const memory = await sampleThrough(dropContent());
    const failed = memory.spans().find((s) => s.status.code === 2)!;
    expect(failed.events).toHaveLength(1);
    expect(failed.events[0]?.attributes).toEqual({ "exception.type": "SampleProviderError" });
  });

  it("composeRedactors applies in order, stops at null, and reports removesContent", async () => {
    const order: string[] = [];
    const a = defineRedactor("a", (s) => {
      order.push("a");
      return s;
    });
    const dropPipes = defineRedactor("dropPipes", (s) =>
      s.attributes["pipelex.span.category"] === "pipe" ? null : s,
    );
    const b = defineRedactor("b", (s) => {
      order.push("b");
      return s;
    });
    const composed = composeRedactors(a, dropPipes, b);
    expect(composed.redactorName).toBe("a + dropPipes + b");
    expect(composed.removesContent).toBe(false);
    expect(composeRedactors(a, dropContent()).removesContent).toBe(true);
    const memory = await sampleThrough(composed);
    expect(memory.spans()).toHaveLength(2);
    expect(order.slice(0, 2)).toEqual(["a", "b"]);
  });

  it("accepts plain functions as redactors", async () => {
    const memory = await sampleThrough((span) => (span.name.startsWith("PipeLLM") ? null : span));
    expect(memory.spans()).toHaveLength(2);
  });
});
