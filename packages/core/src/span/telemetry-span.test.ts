import { SpanStatusCode } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { createTelemetry } from "../telemetry/create-telemetry.js";
import { inMemoryDestination } from "../testing/in-memory.js";
import { EXCEPTION_EVENT } from "./attributes.js";
import { copySpan } from "./span-copy.js";
import { toTelemetrySpan } from "./telemetry-span.js";

async function recordedSpans() {
  const memory = inMemoryDestination();
  const telemetry = createTelemetry({ env: {}, destinations: [memory.destination], logLevel: "silent" });
  telemetry.pipeRun({ runId: "r", pipeCode: "ok", pipeType: "PipeLLM" }, () => "fine");
  try {
    telemetry.pipeRun({ runId: "r", pipeCode: "fails", pipeType: "PipeLLM" }, () => {
      throw new TypeError("the provider said no");
    });
  } catch {
    // expected: telemetry rethrows the app's error
  }
  await telemetry.shutdown();
  return memory.spans();
}

describe("toTelemetrySpan: the error of a failed span", () => {
  it("is the status message, else the exception event's message; a span that did not fail has none", async () => {
    const [ok, failed] = await recordedSpans();
    expect(toTelemetrySpan(ok!).error).toBeUndefined();
    expect(toTelemetrySpan(failed!).error?.message).toBe("the provider said no");

    const exception = {
      name: EXCEPTION_EVENT.NAME,
      time: failed!.startTime,
      attributes: { [EXCEPTION_EVENT.MESSAGE]: "from the exception event" },
    };
    const noStatusText = copySpan(failed!, {
      status: { code: SpanStatusCode.ERROR },
      events: [{ name: "retry", time: failed!.startTime }, exception],
    });
    expect(toTelemetrySpan(noStatusText).error?.message).toBe("from the exception event");
    expect(
      toTelemetrySpan(copySpan(failed!, { status: { code: SpanStatusCode.ERROR }, events: [] })).error,
    ).toMatchObject({ message: undefined });
  });
});
