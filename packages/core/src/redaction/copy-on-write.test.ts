import { describe, expect, it } from "vitest";
import { allSpanText } from "../../test/span-text.js";
import { createTelemetry } from "../telemetry/create-telemetry.js";
import { inMemoryDestination } from "../testing/in-memory.js";
import { runSampleWorkflow, SAMPLE_CONTENT } from "../testing/sample-workflow.js";
import { dropContent } from "./drop-content.js";

describe("per-destination redaction is copy-on-write", () => {
  it("a full destination keeps prompt, completion and error text after another destination redacted its copy", async () => {
    // The redacted destination is listed first, so its redaction runs before the full one exports.
    const redacted = inMemoryDestination("redacted", { redact: [dropContent()] });
    const full = inMemoryDestination("full");
    const telemetry = createTelemetry({ env: {}, destinations: [redacted.destination, full.destination] });

    await runSampleWorkflow(telemetry);
    await telemetry.forceFlush();

    const fullText = full.spans().map(allSpanText).join("\n");
    expect(fullText).toContain(JSON.stringify(SAMPLE_CONTENT.prompt).slice(1, -1));
    expect(fullText).toContain(SAMPLE_CONTENT.completion);
    expect(fullText).toContain(SAMPLE_CONTENT.errorMessage.slice(0, 30));
    const failing = full.views().find((s) => s.outcome === "failure" && s.category === "inference");
    expect(failing?.error?.message).toBe(SAMPLE_CONTENT.errorMessage);

    expect(redacted.spans()).toHaveLength(3);
    for (const span of redacted.spans()) {
      const text = allSpanText(span);
      expect(text).not.toContain("Summarize the contract");
      expect(text).not.toContain("renews yearly");
      expect(text).not.toContain("Prompt too long");
      expect(span.status.message).toBeUndefined();
    }
    // The redacted copy still carries the metadata.
    const failingRedacted = redacted.views().find((s) => s.outcome === "failure");
    expect(failingRedacted?.error?.type).toBe("SampleProviderError");
    expect(failingRedacted?.genAi?.requestModel).toBe("gpt-4o-mini");
  });

  it("gives the redacted destination its own objects and leaves the shared span untouched", async () => {
    const redacted = inMemoryDestination("redacted", { redact: [dropContent()] });
    const full = inMemoryDestination("full");
    const telemetry = createTelemetry({ env: {}, destinations: [redacted.destination, full.destination] });
    await runSampleWorkflow(telemetry);
    await telemetry.forceFlush();

    const inference = full.spans().filter((s) => s.attributes["pipelex.span.category"] === "inference");
    expect(inference).toHaveLength(2);
    for (const original of inference) {
      const copy = redacted.spans().find((s) => s.spanContext().spanId === original.spanContext().spanId);
      expect(copy).toBeDefined();
      expect(copy).not.toBe(original);
      expect(copy?.attributes).not.toBe(original.attributes);
      expect(original.attributes["gen_ai.input.messages"]).toBeTypeOf("string");
      expect(copy?.attributes["gen_ai.input.messages"]).toBeUndefined();
    }
  });
});
