import type { InferenceInfo, PipeRunInfo } from "@pipelex/telemetry-core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mark, type Receivers, receivedSince, startReceivers, telemetryWithAll } from "./destinations.js";

/**
 * Malformed info objects, as a careless or hostile JavaScript caller writes them, through the
 * real telemetry into every destination at once. Each field carries a marker unique to the run:
 * - nothing marked reaches the gateway or the default (anonymous) PostHog destination;
 * - the full-data destinations get a marker exactly where its field was well formed, and never
 *   one from a malformed field (no `String()` of an object);
 * - the callback's result comes back unchanged.
 */

let receivers: Receivers;
beforeAll(async () => {
  receivers = await startReceivers();
});
afterAll(() => receivers.close());

let run = 0;
type Shape =
  | "ok"
  | "missing"
  | "number"
  | "boxed"
  | "toString"
  | "toJSON"
  | "throwingGetter"
  | "proto"
  | "huge";
const SHAPES: Shape[] = [
  "ok",
  "missing",
  "number",
  "boxed",
  "toString",
  "toJSON",
  "throwingGetter",
  "proto",
  "huge",
];

/** Puts `marker` in `target[key]` in the given shape; "ok" is the only well-formed one. */
function place(target: Record<string, unknown>, key: string, marker: string, shape: Shape): void {
  switch (shape) {
    case "ok":
      target[key] = marker;
      return;
    case "missing":
      return;
    case "number":
      target[key] = 42;
      return;
    case "boxed":
      target[key] = new String(marker);
      return;
    case "toString":
      target[key] = { toString: () => marker };
      return;
    case "toJSON":
      target[key] = { toJSON: () => marker, valueOf: () => marker };
      return;
    case "throwingGetter":
      Object.defineProperty(target, key, {
        enumerable: true,
        get() {
          throw new Error(marker);
        },
      });
      return;
    case "proto":
      // An object whose prototype chain is a String: looks like one to careless code.
      target[key] = Object.create(Object(marker));
      return;
    case "huge":
      target[key] = `${marker} ${"x".repeat(20_000)}`;
      return;
  }
}

/** Fields that a default PostHog destination and the gateway must never carry, whatever their shape. */
const PRIVATE_PIPE_FIELDS = ["pipeCode", "runId", "userId", "sessionId"] as const;
const PRIVATE_CALL_FIELDS = ["outputClassName", "jobId"] as const;
/** Fields that are sent as metadata when well formed: here they only ever hold a malformed marker. */
const METADATA_PIPE_FIELDS = ["pipeType", "pipeCategory"] as const;
const METADATA_CALL_FIELDS = ["model", "provider", "operation", "outputType"] as const;

const shape = fc.constantFrom(...SHAPES);
const malformedShape = fc.constantFrom(...SHAPES.filter((s) => s !== "ok"));
const scenario = fc.record({
  pipe: fc.record(
    Object.fromEntries(PRIVATE_PIPE_FIELDS.map((k) => [k, shape])) as Record<
      (typeof PRIVATE_PIPE_FIELDS)[number],
      fc.Arbitrary<Shape>
    >,
  ),
  call: fc.record(
    Object.fromEntries(PRIVATE_CALL_FIELDS.map((k) => [k, shape])) as Record<
      (typeof PRIVATE_CALL_FIELDS)[number],
      fc.Arbitrary<Shape>
    >,
  ),
  metadata: fc.record(
    Object.fromEntries(
      [...METADATA_PIPE_FIELDS, ...METADATA_CALL_FIELDS].map((k) => [k, fc.option(malformedShape)]),
    ),
  ) as fc.Arbitrary<Record<string, Shape | null>>,
  structuring: fc.option(malformedShape),
  withPrompt: fc.boolean(),
});

describe("malformed info through every destination (property)", () => {
  it("leaks nothing to the gateway or default PostHog, keeps well-formed data for full-data stores, returns the callback's result", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        run++;
        const m = (field: string) => `MK${run}Z${field}`;
        const pipeInfo: Record<string, unknown> = {};
        const callInfo: Record<string, unknown> = { params: { temperature: 0.2 } };
        const defaults: Record<string, string> = {
          pipeType: "PipeLLM",
          pipeCategory: "PipeOperator",
          model: "gpt-4o",
          provider: "openai",
          operation: "chat",
          outputType: "text",
        };
        for (const k of PRIVATE_PIPE_FIELDS) place(pipeInfo, k, m(k), s.pipe[k]);
        for (const k of PRIVATE_CALL_FIELDS) place(callInfo, k, m(k), s.call[k]);
        for (const k of [...METADATA_PIPE_FIELDS, ...METADATA_CALL_FIELDS]) {
          const target = (METADATA_PIPE_FIELDS as readonly string[]).includes(k) ? pipeInfo : callInfo;
          const chosen = s.metadata[k];
          if (chosen) place(target, k, m(k), chosen);
          else target[k] = defaults[k];
        }
        if (s.structuring)
          place(
            callInfo.params as Record<string, unknown>,
            "structuringMethod",
            m("structuring"),
            s.structuring,
          );
        const prompt = m("prompt");
        const returned = { answer: m("result") };

        const telemetry = telemetryWithAll(receivers);
        await telemetry.ready();
        const from = mark(receivers);
        const result = await telemetry.pipeRun(pipeInfo as unknown as PipeRunInfo, () =>
          telemetry.inference(callInfo as unknown as InferenceInfo, async (call) => {
            if (s.withPrompt) call.recordInput([{ role: "user", content: prompt }]);
            return returned;
          }),
        );
        expect(result).toBe(returned);
        await telemetry.shutdown({ timeoutMs: 10_000 });
        const received = receivedSince(receivers, from);

        const marker = `MK${run}Z`;
        expect(received.gateway.length).toBeGreaterThan(0);
        expect(received.posthog.length).toBeGreaterThan(0);
        expect(received.gateway.includes(marker), "gateway").toBe(false);
        expect(received.posthog.includes(marker), "posthog").toBe(false);

        for (const text of [received.otlp, received.langfuse]) {
          const expectPresent = (field: string, present: boolean) =>
            expect(text.includes(m(field)), `${field} in a full-data destination`).toBe(present);
          for (const k of PRIVATE_PIPE_FIELDS) expectPresent(k, s.pipe[k] === "ok");
          for (const k of PRIVATE_CALL_FIELDS) expectPresent(k, s.call[k] === "ok");
          for (const k of [...METADATA_PIPE_FIELDS, ...METADATA_CALL_FIELDS]) expectPresent(k, false);
          expectPresent("structuring", false);
          expectPresent("prompt", s.withPrompt);
        }
      }),
      { numRuns: 100 },
    );
  });
});
