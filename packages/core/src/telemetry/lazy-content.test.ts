import { describe, expect, it } from "vitest";
import { dropContent } from "../redaction/drop-content.js";
import { maskPatterns } from "../redaction/mask-patterns.js";
import { inMemoryDestination } from "../testing/in-memory.js";
import { createTelemetry } from "./create-telemetry.js";

function contentProbes() {
  const touched = { callback: 0, toJSON: 0, errorMessage: 0 };
  const value = {
    toJSON() {
      touched.toJSON++;
      return [{ role: "user", content: "secret" }];
    },
  };
  const callback = () => {
    touched.callback++;
    return "secret";
  };
  class ProbeError extends Error {
    override get message(): string {
      touched.errorMessage++;
      return "secret in error";
    }
  }
  return { touched, value, callback, ProbeError };
}

async function run(destinations: ReturnType<typeof inMemoryDestination>[]) {
  const probes = contentProbes();
  const telemetry = createTelemetry({ env: {}, destinations: destinations.map((d) => d.destination) });
  await telemetry
    .pipeRun({ runId: "r", pipeCode: "p", pipeType: "PipeLLM" }, () =>
      telemetry.inference(
        { model: "m", provider: "p", operation: "chat", params: { extra: probes.value } },
        async (call) => {
          call.recordInput(probes.value);
          call.recordInput(probes.callback);
          call.recordOutput(probes.callback);
          throw new probes.ProbeError();
        },
      ),
    )
    .catch(() => undefined);
  await telemetry.forceFlush();
  return probes.touched;
}

describe("content is lazy", () => {
  it("is never serialized when no destination may receive it", async () => {
    const touched = await run([
      inMemoryDestination("a", { redact: [dropContent()] }),
      inMemoryDestination("b", { redact: [maskPatterns(), dropContent()] }),
    ]);
    expect(touched).toEqual({ callback: 0, toJSON: 0, errorMessage: 0 });
  });

  it("is serialized once one destination may receive it", async () => {
    const full = inMemoryDestination("full");
    const touched = await run([inMemoryDestination("a", { redact: [dropContent()] }), full]);
    expect(touched.callback).toBe(2);
    expect(touched.toJSON).toBeGreaterThanOrEqual(2);
    expect(touched.errorMessage).toBeGreaterThan(0);
    const span = full.views().find((s) => s.category === "inference");
    expect(span?.content.output).toContain("secret");
    expect(span?.error?.message).toBe("secret in error");
  });
});
