import { describe, expect, it } from "vitest";
import { ATTR } from "../span/attributes.js";
import { createTelemetry } from "../telemetry/create-telemetry.js";
import { inMemoryDestination } from "../testing/in-memory.js";
import { dropAppIds } from "./drop-app-ids.js";
import { redactPipeCodes } from "./redact-names.js";

async function run(policy: Parameters<typeof dropAppIds>[0], sessionId: string, jobId: string) {
  const memory = inMemoryDestination("d", { redact: [dropAppIds(policy)] });
  const telemetry = createTelemetry({ env: {}, destinations: [memory.destination] });
  await telemetry.pipeRun({ runId: "r", pipeCode: "summarize", pipeType: "PipeLLM", sessionId }, () =>
    telemetry.inference(
      { model: "gpt-4o", provider: "openai", operation: "chat", jobId },
      async () => undefined,
    ),
  );
  await telemetry.shutdown();
  const [inference, pipe] = memory.spans();
  return { inference: inference!, pipe: pipe! };
}

describe("dropAppIds", () => {
  it("removes session and job ids by default, and the job id from inference names", async () => {
    const { inference, pipe } = await run({}, "sess-1", "job-1");
    expect(pipe.attributes[ATTR.SESSION_ID]).toBeUndefined();
    expect(inference.attributes[ATTR.JOB_ID]).toBeUndefined();
    expect(inference.name).toBe("summarize: (gpt-4o) -> text");
  });

  it("keeps an allowed id only when it is code-shaped", async () => {
    const kept = await run({ sessionIds: true, jobIds: true }, "sess-1", "job-1");
    expect(kept.pipe.attributes[ATTR.SESSION_ID]).toBe("sess-1");
    expect(kept.inference.name).toBe("summarize: job-1 (gpt-4o) -> text");
    const leaky = await run({ sessionIds: true, jobIds: true }, "jane.doe@example.com", "/home/jane/job");
    expect(leaky.pipe.attributes[ATTR.SESSION_ID]).toBeUndefined();
    expect(leaky.inference.attributes[ATTR.JOB_ID]).toBeUndefined();
    expect(JSON.stringify([leaky.inference.name, leaky.inference.attributes])).not.toMatch(/jane/);
  });

  it("never edits the span other destinations get, alone or after a redactor that already copied", async () => {
    for (const redact of [[dropAppIds()], [redactPipeCodes(), dropAppIds()]]) {
      const full = inMemoryDestination("full");
      const limited = inMemoryDestination("limited", { redact });
      const telemetry = createTelemetry({ env: {}, destinations: [full.destination, limited.destination] });
      await telemetry.pipeRun({ runId: "r", pipeCode: "p", pipeType: "PipeLLM", sessionId: "sess-1" }, () =>
        telemetry.inference({ model: "m", provider: "p", operation: "chat", jobId: "job-1" }, async () => 1),
      );
      await telemetry.shutdown();
      const [fullInference, fullPipe] = full.spans();
      expect(fullPipe!.attributes[ATTR.SESSION_ID]).toBe("sess-1");
      expect(fullInference!.attributes[ATTR.JOB_ID]).toBe("job-1");
      const [inference, pipe] = limited.spans();
      expect(pipe!.attributes[ATTR.SESSION_ID]).toBeUndefined();
      expect(inference!.attributes[ATTR.JOB_ID]).toBeUndefined();
    }
  });
});
