import { ATTR, createTelemetry } from "@pipelex/telemetry-core";
import { inMemoryDestination, runSampleWorkflow, SAMPLE_CONTENT } from "@pipelex/telemetry-core/testing";
import { describe, expect, it } from "vitest";
import { posthogOptionsSchema } from "./options.js";
import { posthogRedactionPolicy } from "./policy.js";

async function receivedWith(capture: Record<string, unknown>) {
  const options = posthogOptionsSchema.parse({ tracing: { enabled: true, capture } });
  const memory = inMemoryDestination("posthog", { redact: posthogRedactionPolicy(options) });
  const telemetry = createTelemetry({ env: {}, destinations: [memory.destination] });
  await runSampleWorkflow(telemetry);
  await telemetry.shutdown();
  return JSON.stringify(
    memory
      .spans()
      .map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status })),
  );
}

describe("posthogRedactionPolicy", () => {
  it("redacts content, pipe codes and class names by default", async () => {
    const options = posthogOptionsSchema.parse({});
    expect(posthogRedactionPolicy(options).map((r) => r.redactorName)).toEqual([
      "dropContent",
      "redactPipeCodes",
      "redactClassNames",
    ]);
    const sent = await receivedWith({});
    expect(sent).not.toContain("jane.doe@example.com");
    expect(sent).not.toContain(SAMPLE_CONTENT.pipeCode);
    expect(sent).not.toContain(SAMPLE_CONTENT.className);
  });

  it("truncates content when content is captured with a max length", async () => {
    const options = posthogOptionsSchema.parse({
      tracing: { capture: { content: true, contentMaxLength: 10, pipeCodes: true, outputClassNames: true } },
    });
    expect(posthogRedactionPolicy(options).map((r) => r.redactorName)).toEqual(["truncateContent(10)"]);
    const sent = await receivedWith({
      content: true,
      contentMaxLength: 10,
      pipeCodes: true,
      outputClassNames: true,
    });
    expect(sent).toContain("... [truncated]");
    expect(sent).not.toContain(SAMPLE_CONTENT.prompt);
    expect(sent).toContain(SAMPLE_CONTENT.pipeCode);
  });

  it("keeps everything when every capture flag is on", async () => {
    const options = posthogOptionsSchema.parse({
      tracing: { capture: { content: true, pipeCodes: true, outputClassNames: true } },
    });
    expect(posthogRedactionPolicy(options)).toEqual([]);
    const sent = await receivedWith({ content: true, pipeCodes: true, outputClassNames: true });
    expect(sent).toContain("jane.doe@example.com");
    expect(sent).toContain(ATTR.GEN_AI_INPUT_MESSAGES);
  });
});
