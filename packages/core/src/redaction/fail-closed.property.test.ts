import type { Attributes } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { ATTR, REDACTED } from "../span/attributes.js";
import { copySpan } from "../span/span-copy.js";
import { createTelemetry } from "../telemetry/create-telemetry.js";
import type { InferenceInfo, PipeRunInfo } from "../telemetry/types.js";
import { inMemoryDestination } from "../testing/in-memory.js";
import { runSampleWorkflow } from "../testing/sample-workflow.js";
import { dropContent } from "./drop-content.js";
import { maskPatterns } from "./mask-patterns.js";
import { redactClassNames, redactPipeCodes } from "./redact-names.js";
import type { Redactor } from "./redactor.js";
import { truncateContent } from "./truncate-content.js";

// Built-in redactors fed what a careless or hostile caller produces: malformed info through the
// real telemetry, and spans of foreign shape (any attribute, any value type, any category).
// A redactor that cannot do its job must replace or drop, never pass the value on.

const MARK = "ZQXMARK";

/** Values no well-formed call would pass, each carrying the marker if anything stringifies it. */
const malformed = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.integer(),
  fc.constant(new String(MARK)),
  fc.constant({ toString: () => MARK }),
  fc.constant({ toJSON: () => MARK }),
  fc.constant([MARK]),
  fc.constant(
    Object.defineProperty({}, "toString", {
      get() {
        throw new Error(MARK);
      },
    }),
  ),
  fc.constant(`${MARK}${"y".repeat(2000)}`),
);
/** A field is either well formed (a plain string with the marker) or malformed. */
const field = fc.oneof(fc.constant(`${MARK}_ok`), malformed);

/** What a default-redacted destination applies (PostHog's default policy). */
const defaultPolicy = (): Redactor[] => [dropContent(), redactPipeCodes(), redactClassNames()];

describe("malformed info through the real telemetry", () => {
  it("pipe codes and class names never survive redactPipeCodes/redactClassNames, wherever the caller put them", async () => {
    await fc.assert(
      fc.asyncProperty(
        field,
        field,
        field,
        field,
        field,
        async (pipeCode, pipeType, className, outputType, job) => {
          const redacted = inMemoryDestination("redacted", { redact: defaultPolicy() });
          const telemetry = createTelemetry({
            env: {},
            destinations: [redacted.destination],
            logLevel: "silent",
          });
          const info = { runId: "r", pipeCode, pipeType: pipeType === `${MARK}_ok` ? "PipeLLM" : pipeType };
          const call = {
            model: "m",
            provider: "p",
            operation: "chat",
            outputClassName: className,
            outputType,
            jobId: job,
          };
          const result = await telemetry.pipeRun(info as unknown as PipeRunInfo, () =>
            telemetry.inference(call as unknown as InferenceInfo, async () => "result"),
          );
          expect(result).toBe("result");
          await telemetry.shutdown();
          for (const span of redacted.spans()) {
            const pipeCodeValue = span.attributes[ATTR.PIPE_CODE];
            expect(pipeCodeValue === undefined || pipeCodeValue === REDACTED).toBe(true);
            // The names: rebuilt from redacted attributes, so only the (well-formed) job id and
            // output type may carry the marker, never the code or the class name.
            let name = span.name;
            for (const kept of [job, outputType]) if (typeof kept === "string") name = name.replace(kept, "");
            expect(name).not.toContain(MARK);
            const trace = span.attributes[ATTR.TRACE_NAME];
            if (trace !== undefined) expect(trace).toMatch(/^[0-9a-f]{8}$/);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

let samples: ReadableSpan[] = [];
beforeAll(async () => {
  const memory = inMemoryDestination("source");
  const telemetry = createTelemetry({ env: {}, destinations: [memory.destination] });
  await runSampleWorkflow(telemetry);
  await telemetry.shutdown();
  samples = memory.spans();
});

const foreignValue = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.boolean(),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }),
  fc.constant({ text: `${MARK}@example.com` }),
  fc.constant(new String(`${MARK}@example.com`)),
  fc.constant([{ nested: `${MARK}@example.com` }]),
);
const foreignAttributes: fc.Arbitrary<Attributes> = fc.dictionary(
  fc.constantFrom(...Object.values(ATTR), "custom.key"),
  foreignValue as fc.Arbitrary<never>,
  { maxKeys: 12 },
);
const category = fc.constantFrom("pipe", "inference", undefined, "other");

/** A span as any other OpenTelemetry code could hand a redactor. */
const foreignSpan = fc
  .tuple(fc.integer({ min: 0, max: 2 }), foreignAttributes, category, fc.boolean(), fc.boolean())
  .map(([index, extra, cat, withCode, withClass]) => {
    const source = samples[index]!;
    const attributes: Attributes = { ...extra };
    delete attributes[ATTR.PIPE_CODE];
    delete attributes[ATTR.OUTPUT_CLASS_NAME];
    if (cat === undefined) delete attributes[ATTR.SPAN_CATEGORY];
    else attributes[ATTR.SPAN_CATEGORY] = cat;
    if (withCode) attributes[ATTR.PIPE_CODE] = `${MARK}code`;
    if (withClass) attributes[ATTR.OUTPUT_CLASS_NAME] = [`${MARK}class`];
    for (const key of [ATTR.PIPE_TYPE, ATTR.GEN_AI_REQUEST_MODEL, ATTR.GEN_AI_OPERATION_NAME, ATTR.JOB_ID]) {
      if (typeof attributes[key] !== "string") delete attributes[key];
    }
    const name = `span ${MARK}code ${MARK}class`;
    return { span: copySpan(source, { name, attributes }), cat, withCode, withClass };
  });

describe("spans of foreign shape", () => {
  it("redactPipeCodes never keeps a name it cannot rebuild, nor skips one whose code attribute is missing", () => {
    const redactor = redactPipeCodes();
    fc.assert(
      fc.property(foreignSpan, ({ span, cat, withCode }) => {
        const out = redactor(span)!;
        const v = out.attributes[ATTR.PIPE_CODE];
        expect(v === undefined || v === REDACTED).toBe(true);
        if (withCode || cat === "pipe" || cat === "inference") expect(out.name).not.toContain(`${MARK}code`);
      }),
      { numRuns: 400 },
    );
  });

  it("redactClassNames does the same for output class names, whatever type the attribute has", () => {
    const redactor = redactClassNames();
    fc.assert(
      fc.property(foreignSpan, ({ span, cat, withClass }) => {
        const out = redactor(span)!;
        const v = out.attributes[ATTR.OUTPUT_CLASS_NAME];
        expect(v === undefined || v === REDACTED).toBe(true);
        if (withClass || cat === "inference") expect(out.name).not.toContain(`${MARK}class`);
      }),
      { numRuns: 400 },
    );
  });

  it("maskPatterns replaces values it cannot search (objects, boxed strings) instead of passing them on", () => {
    const redactor = maskPatterns();
    fc.assert(
      fc.property(foreignSpan, ({ span }) => {
        const out = redactor(span)!;
        for (const value of Object.values(out.attributes)) {
          const items = Array.isArray(value) ? value : [value];
          for (const item of items)
            expect(["string", "number", "boolean", "undefined"]).toContain(typeof item);
        }
        expect(JSON.stringify(out.attributes)).not.toContain("@example.com");
      }),
      { numRuns: 400 },
    );
  });

  it("dropContent and truncateContent leave no content value they could not handle", () => {
    const cut = truncateContent(5);
    const drop = dropContent();
    const content = [ATTR.GEN_AI_INPUT_MESSAGES, ATTR.GEN_AI_OUTPUT_MESSAGES, ATTR.PARAMS];
    fc.assert(
      fc.property(foreignSpan, ({ span }) => {
        const dropped = drop(span)!;
        for (const key of content) expect(dropped.attributes[key]).toBeUndefined();
        const truncated = cut(span)!;
        for (const key of content) {
          const value = truncated.attributes[key];
          if (value === undefined || value === REDACTED) continue;
          expect(typeof value).toBe("string");
          expect((value as string).length).toBeLessThanOrEqual(5 + "... [truncated]".length);
        }
      }),
      { numRuns: 400 },
    );
  });
});
