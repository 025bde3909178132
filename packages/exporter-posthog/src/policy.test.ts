import { ATTR, createTelemetry } from "@pipelex/telemetry-core";
import { inMemoryDestination, runSampleWorkflow, SAMPLE_CONTENT } from "@pipelex/telemetry-core/testing";
import { describe, expect, it } from "vitest";
import { posthogOptionsSchema } from "./options.js";
import { posthogRedactionPolicy } from "./policy.js";

async function receivedWith(capture: Record<string, unknown>, mode = "anonymous") {
  const options = posthogOptionsSchema.parse({ mode, tracing: { enabled: true, capture } });
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
      "dropAppIds(all)",
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
    expect(posthogRedactionPolicy(options).map((r) => r.redactorName)).toEqual([
      "truncateContent(10)",
      "dropAppIds(all)",
    ]);
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

  it("keeps everything when every capture flag is on (ids still checked for shape)", async () => {
    const capture = {
      content: true,
      pipeCodes: true,
      outputClassNames: true,
      sessionIds: true,
      jobIds: true,
    };
    const options = posthogOptionsSchema.parse({ tracing: { capture } });
    expect(posthogRedactionPolicy(options).map((r) => r.redactorName)).toEqual([
      "dropAppIds(sessions kept, jobs kept)",
    ]);
    const sent = await receivedWith(capture);
    expect(sent).toContain("job-1");
    expect(sent).toContain("jane.doe@example.com");
    expect(sent).toContain(ATTR.GEN_AI_INPUT_MESSAGES);
  });

  it("sends no app-chosen ids in anonymous mode unless opted in per field; identified mode sends them", async () => {
    const anonymous = await receivedWith({});
    expect(anonymous).not.toContain("job-1");
    expect(anonymous).not.toContain(ATTR.JOB_ID);
    const jobsOnly = await receivedWith({ jobIds: true });
    expect(jobsOnly).toContain("job-1");
    const identified = await receivedWith({}, "identified");
    expect(identified).toContain("job-1");
    const optedOut = await receivedWith({ jobIds: false }, "identified");
    expect(optedOut).not.toContain("job-1");
  });
});
