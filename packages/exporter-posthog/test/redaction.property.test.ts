import { createTelemetry, TRUNCATED_SUFFIX } from "@pipelex/telemetry-core";
import { copySpan } from "@pipelex/telemetry-core/plugin";
import { inMemoryDestination } from "@pipelex/telemetry-core/testing";
import { type PosthogReceiver, startPosthogReceiver } from "@pipelex/test-receivers";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PosthogDestinationOptions, posthog } from "../src/index.js";
import { byName, captureLogs, receiverOptions, runWorkflow, type WorkflowContent } from "./helpers.js";

/**
 * Content drawn at random, with a short marker so a match on the wire cannot be a coincidence
 * (a random 3-letter string could occur in a UUID or a model name).
 */
const contentText = fc.string({ unit: "grapheme", minLength: 1, maxLength: 80 }).map((s) => `«${s}»`);
const identifier = (prefix: string) =>
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{3,24}$/).map((s) => `${prefix}${s}`);

const workflowContent: fc.Arbitrary<WorkflowContent> = fc.record({
  prompt: contentText,
  completion: contentText,
  errorMessage: contentText,
  rootPipeCode: identifier("pcroot_"),
  childPipeCode: identifier("pcchild_"),
  className: identifier("Cls"),
});

/** Both ways a string can appear in a JSON body: as is, and JSON-escaped. */
function appearsIn(wire: string, value: string): boolean {
  return wire.includes(value) || wire.includes(JSON.stringify(value).slice(1, -1));
}

/** What core's truncateContent(max) makes of a string. */
const truncated = (value: string, max: number) =>
  value.length > max ? value.slice(0, max) + TRUNCATED_SUFFIX : value;

let receiver: PosthogReceiver;
beforeAll(async () => {
  receiver = await startPosthogReceiver();
});
afterAll(async () => {
  await receiver.close();
});

/** Runs the workflow through a fresh telemetry instance; returns what this run put on the wire. */
async function runOnce(
  content: WorkflowContent,
  options: PosthogDestinationOptions,
  withFullDataNeighbour: boolean,
) {
  const firstBody = receiver.bodies.length;
  const firstEvent = receiver.events.length;
  const memory = inMemoryDestination("full-data");
  const telemetry = createTelemetry({
    env: {},
    // A neighbour that receives content makes core put content on the spans: PostHog's own
    // redaction, on its own copy, is what must keep it out.
    destinations: [posthog(options), withFullDataNeighbour && memory.destination],
    logger: captureLogs(),
  });
  await runWorkflow(telemetry, content, `run-${firstBody}`);
  const report = await telemetry.shutdown({ timeoutMs: 5000 });
  expect(report.complete).toBe(true);
  return {
    wire: receiver.bodies
      .slice(firstBody)
      .map((b) => b.toString("utf8"))
      .join("\n"),
    events: receiver.events.slice(firstEvent),
    memorySpans: memory.views(),
  };
}

describe("redaction, property-based, against the live receiver", () => {
  it("capture off (the default): no prompt, completion, error message, pipe code or class name in any request body", async () => {
    await fc.assert(
      fc.asyncProperty(workflowContent, async (content) => {
        const { wire, events, memorySpans } = await runOnce(content, receiverOptions(receiver), true);
        // The neighbour did get the content, so it was on the spans core exported.
        expect(
          memorySpans.some((s) => s.content.input?.includes(JSON.stringify(content.prompt).slice(1, -1))),
        ).toBe(true);
        expect(events).toHaveLength(6);
        for (const value of Object.values(content)) expect(appearsIn(wire, value), value).toBe(false);
      }),
      { numRuns: 30 },
    );
  });

  it("content on with contentMaxLength: prompts, completions and error text appear, truncated; names appear when captured", async () => {
    await fc.assert(
      fc.asyncProperty(workflowContent, fc.integer({ min: 5, max: 120 }), async (content, max) => {
        const options = receiverOptions(receiver, {
          tracing: {
            enabled: true,
            capture: { content: true, contentMaxLength: max, pipeCodes: true, outputClassNames: true },
          },
        });
        const { wire, events } = await runOnce(content, options, false);
        const generations = byName(events, "$ai_generation");
        const ok = generations.find((e) => e.properties.$ai_model === "gpt-4o-2024-08-06")!;
        const failed = generations.find((e) => e.properties.$ai_is_error === true)!;
        const input = JSON.stringify([{ role: "user", content: content.prompt }]);
        const output = JSON.stringify([{ role: "assistant", content: content.completion }]);
        // Untruncated content arrives as PostHog messages; cut content as the truncated text.
        const expectContent = (actual: unknown, serialized: string) =>
          serialized.length > max
            ? expect(actual).toBe(truncated(serialized, max))
            : expect(actual).toEqual(JSON.parse(serialized));
        expectContent(ok.properties.$ai_input, input);
        expectContent(ok.properties.$ai_output_choices, output);
        expect(failed.properties.$ai_error).toBe(truncated(content.errorMessage, max));
        // Nothing longer than the limit (plus the suffix) left the machine as content.
        for (const event of generations) {
          for (const key of ["$ai_input", "$ai_output_choices", "$ai_error"]) {
            const value = event.properties[key];
            if (typeof value === "string")
              expect(value.length).toBeLessThanOrEqual(max + TRUNCATED_SUFFIX.length);
          }
        }
        expect(appearsIn(wire, content.rootPipeCode)).toBe(true);
        expect(appearsIn(wire, content.childPipeCode)).toBe(true);
        expect(ok.properties.pipelex_output_class_name).toBe(content.className);
      }),
      { numRuns: 30 },
    );
  });

  it("content on without a limit: the full prompt, completion and error text appear", async () => {
    await fc.assert(
      fc.asyncProperty(workflowContent, async (content) => {
        const options = receiverOptions(receiver, { tracing: { enabled: true, capture: { content: true } } });
        const { wire, events } = await runOnce(content, options, false);
        for (const value of [content.prompt, content.completion, content.errorMessage])
          expect(appearsIn(wire, value), value).toBe(true);
        // Pipe codes and class names stay redacted: capture only turned content on.
        for (const value of [content.rootPipeCode, content.childPipeCode, content.className])
          expect(appearsIn(wire, value)).toBe(false);
        expect(events).toHaveLength(6);
      }),
      { numRuns: 15 },
    );
  });
});

describe("redactProperties and the allowlist", () => {
  it("removes the named keys wherever they appear, nested ones included", async () => {
    const content: WorkflowContent = {
      prompt: "the prompt",
      completion: "the completion",
      errorMessage: "the error",
      rootPipeCode: "root",
      childPipeCode: "child",
      className: "Cls",
    };
    const options = receiverOptions(receiver, {
      tracing: { enabled: true, capture: { content: true } },
      redactProperties: ["$ai_input", "max_tokens", "content", "pipelex_job_id"],
    });
    const { events } = await runOnce(content, options, false);
    const ok = byName(events, "$ai_generation").find((e) => e.properties.$ai_model === "gpt-4o-2024-08-06")!;
    expect(ok.properties.$ai_input).toBeUndefined();
    expect(ok.properties.pipelex_job_id).toBeUndefined();
    expect(ok.properties.$ai_model_parameters).toEqual({ temperature: 0.2, seed: 7 });
    // `content` removed inside the messages; the role stays.
    expect(ok.properties.$ai_output_choices).toEqual([{ role: "assistant" }]);
    expect(JSON.stringify(events)).not.toContain("the completion");
  });

  it("an attribute the mapper does not know never reaches PostHog, even with everything captured", async () => {
    const addUnknown = (span: Parameters<typeof copySpan>[0]) =>
      copySpan(span, {
        attributes: {
          ...span.attributes,
          "app.internal_note": "leak-canary-9431",
          url: "https://leak.example",
        },
      });
    const options = receiverOptions(receiver, {
      tracing: { enabled: true, capture: { content: true, pipeCodes: true, outputClassNames: true } },
      redactProperties: [],
      redact: [addUnknown],
    });
    const { wire, events } = await runOnce(
      {
        prompt: "p",
        completion: "c",
        errorMessage: "e",
        rootPipeCode: "r",
        childPipeCode: "c2",
        className: "K",
      },
      options,
      false,
    );
    expect(events).toHaveLength(6);
    expect(wire).not.toContain("leak-canary-9431");
    expect(wire).not.toContain("leak.example");
    expect(wire).not.toContain("app.internal_note");
  });
});
