import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inMemoryDestination } from "../testing/in-memory.js";
import { createTelemetry } from "./create-telemetry.js";
import type { InferenceInfo, PipeRunInfo } from "./types.js";

// Values that break string conversion or serialization in every way JavaScript allows.
const hostile = fc.oneof(
  fc.anything(),
  fc.constant({ toString: 0 }),
  fc.constant({
    toString() {
      throw new Error("no");
    },
  }),
  fc.constant(Object.create(null)),
  fc.constant(Symbol("s")),
  fc.constant(10n),
);

describe("telemetry never throws into the app", () => {
  it("runs the callback and returns its result whatever the info objects hold", async () => {
    const memory = inMemoryDestination();
    const telemetry = createTelemetry({ env: {}, destinations: [memory.destination], logLevel: "silent" });
    await fc.assert(
      fc.asyncProperty(hostile, hostile, hostile, async (a, b, c) => {
        const pipe = { runId: a, pipeCode: b, pipeType: c } as unknown as PipeRunInfo;
        const call = {
          model: a,
          provider: b,
          operation: c,
          params: { temperature: a, other: b },
        } as unknown as InferenceInfo;
        const result = await telemetry.pipeRun(pipe, () =>
          telemetry.inference(call, async (handle) => {
            handle.recordInput(a);
            handle.recordOutput(() => b);
            handle.recordUsage(c as never);
            handle.recordResponseModel(a as never);
            return "ok";
          }),
        );
        expect(result).toBe("ok");
      }),
      { numRuns: 200 },
    );
  });

  it("rethrows the app's own error, even a hostile one, unchanged", async () => {
    const telemetry = createTelemetry({
      env: {},
      destinations: [inMemoryDestination().destination],
      logLevel: "silent",
    });
    const hostileError = Object.create(null, {
      message: {
        get() {
          throw new Error("getter");
        },
      },
    });
    await expect(
      telemetry.inference({ model: "m", provider: "p", operation: "chat" }, async () => {
        throw hostileError;
      }),
    ).rejects.toBe(hostileError);
    expect(() =>
      telemetry.pipeRun(
        { runId: "r", pipeCode: "p", pipeType: { toString: 0 } } as unknown as PipeRunInfo,
        () => {
          throw hostileError;
        },
      ),
    ).toThrow();
  });
});
