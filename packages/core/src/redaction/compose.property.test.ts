import { SpanStatusCode } from "@opentelemetry/api";
import { resourceFromAttributes } from "@opentelemetry/resources";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { allSpanText } from "../../test/span-text.js";
import { copySpan } from "../span/span-copy.js";
import { createTelemetry } from "../telemetry/create-telemetry.js";
import { inMemoryDestination } from "../testing/in-memory.js";
import { runSampleWorkflow } from "../testing/sample-workflow.js";
import { dropAttributes } from "./drop-attributes.js";
import { dropContent } from "./drop-content.js";
import { maskPatterns } from "./mask-patterns.js";
import { redactClassNames, redactPipeCodes } from "./redact-names.js";
import { composeRedactors, type RedactorLike } from "./redactor.js";
import { truncateContent } from "./truncate-content.js";

// Built-in redactors run fused over one draft inside composeRedactors. Fusion must change
// nothing but the number of copies: the result is what applying them one by one gives, and the
// span handed in is never edited.

// Plain functions (the two custom ones) are not fused: they split a policy into fused runs.
const REDACTORS: Record<string, () => RedactorLike> = {
  dropContent,
  redactPipeCodes,
  redactClassNames,
  maskPatterns: () => maskPatterns(),
  maskEmailsOnly: () => maskPatterns({ apiKeys: false, cardNumbers: false, bearerTokens: false }),
  truncate10: () => truncateContent(10),
  dropModelAndJob: () => dropAttributes(["gen_ai.request.model", "pipelex.job.id"]),
  customNote: () => (span: ReadableSpan) => {
    const copy = Object.create(span) as ReadableSpan;
    Object.defineProperty(copy, "attributes", { value: { ...span.attributes, note: "custom" } });
    return copy;
  },
  customDropErrors: () => (span: ReadableSpan) => (span.status.code === 2 ? null : span),
};

/** Everything a destination could read from a span, for equality and "unchanged" checks. */
function snapshot(span: ReadableSpan | null): string {
  if (span === null) return "null";
  return `${allSpanText(span)}|${span.spanContext().spanId}|${span.events.length}|${span.links.length}`;
}

/** Every data object a redactor could edit, frozen: an edit in place throws instead of passing. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

let spans: ReadableSpan[] = [];
beforeAll(async () => {
  const memory = inMemoryDestination("source");
  const telemetry = createTelemetry({ env: {}, destinations: [memory.destination] });
  await runSampleWorkflow(telemetry);
  await telemetry.shutdown();
  // Plus the same spans carrying secrets everywhere else a span can: string arrays, event names,
  // link attributes, status text and the resource.
  const decorated = memory.spans().map((span) =>
    copySpan(span, {
      attributes: {
        ...span.attributes,
        tags: ["a", "ops@example.com"],
        "gen_ai.request.model": "sk-abcdefghijklmnop1234",
      },
      events: [
        ...span.events,
        { name: "retry for ops@example.com", time: span.startTime, attributes: { n: 1 } },
      ],
      links: [{ context: span.spanContext(), attributes: { note: "Bearer abcdef123456" } }],
      status: { code: SpanStatusCode.ERROR, message: "failed for 4111 1111 1111 1111" },
      resource: resourceFromAttributes({ "service.name": "svc", owner: "ops@example.com" }),
    }),
  );
  spans = [...memory.spans(), ...decorated];
});

describe("composeRedactors fuses built-ins without changing results", () => {
  it("gives what applying each redactor in turn gives, and never edits the span it is handed", () => {
    const names = Object.keys(REDACTORS);
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...names), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 5 }),
        (policy, which) => {
          const span = spans[which]!;
          for (const part of [span.attributes, span.events, span.links, span.status]) deepFreeze(part);
          const before = snapshot(span);
          const attributesBefore = { ...span.attributes };

          const composed = composeRedactors(...policy.map((name) => REDACTORS[name]!()))(span);

          let expected: ReadableSpan | null = span;
          for (const name of policy) {
            const alone = composeRedactors(REDACTORS[name]!());
            expected = expected === null ? null : alone(expected);
          }
          expect(snapshot(composed)).toBe(snapshot(expected));
          expect(snapshot(span)).toBe(before);
          expect(span.attributes).toEqual(attributesBefore);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("returns the very span it was handed when no redactor changes anything", () => {
    const pipe = spans.find((s) => s.attributes["pipelex.span.category"] === "pipe")!;
    const policy = composeRedactors(dropContent(), redactClassNames(), maskPatterns({ emails: false }));
    expect(policy(pipe)).toBe(pipe);
  });

  it("copies the attributes once for a whole fused policy, leaving the source's object alone", () => {
    const inference = spans.find((s) => s.attributes["pipelex.output.class_name"] !== undefined)!;
    const policy = composeRedactors(dropContent(), redactPipeCodes(), redactClassNames());
    const out = policy(inference)!;
    expect(out.attributes).not.toBe(inference.attributes);
    expect(out.attributes["pipelex.pipe.code"]).toBe("[REDACTED]");
    expect(out.attributes["pipelex.output.class_name"]).toBe("[REDACTED]");
    expect(out.attributes["gen_ai.input.messages"]).toBeUndefined();
    expect(inference.attributes["pipelex.pipe.code"]).toBe("summarize_contract");
    expect(inference.attributes["gen_ai.input.messages"]).toBeTypeOf("string");
    expect(out.name).not.toContain("summarize_contract");
    expect(out.name).not.toContain("ContractSummary");
  });
});
