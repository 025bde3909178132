import type { Attributes, AttributeValue } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { ATTR, createTelemetry } from "@pipelex/telemetry-core";
import { copySpan } from "@pipelex/telemetry-core/plugin";
import { inMemoryDestination, runSampleWorkflow } from "@pipelex/telemetry-core/testing";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { toGatewayEvent } from "./allowlist.js";
import {
  GEN_AI_OPERATIONS,
  OUTPUT_TYPES,
  PIPE_CATEGORIES,
  PIPE_TYPES,
  STRUCTURING_METHODS,
} from "./closed-sets.js";
import { ERROR_CODE_PATTERN, IDENTIFIER_PATTERN, INVALID, modelName } from "./values.js";

/** Which span attribute each model-name field is read from (written from DESIGN.md, not from the code). */
const MODEL_NAME_SOURCES: Record<string, string> = {
  $ai_model: ATTR.GEN_AI_REQUEST_MODEL,
  pipelex_response_model: ATTR.GEN_AI_RESPONSE_MODEL,
  $ai_provider: ATTR.GEN_AI_PROVIDER_NAME,
};
/** Closed fields: the value only when it is on its list (README), else "other". */
const CLOSED_SOURCES: Record<string, [string, readonly string[]]> = {
  pipelex_operation: [ATTR.GEN_AI_OPERATION_NAME, [...GEN_AI_OPERATIONS]],
  pipelex_output_type: [ATTR.GEN_AI_OUTPUT_TYPE, [...OUTPUT_TYPES]],
  pipelex_pipe_type: [ATTR.PIPE_TYPE, [...PIPE_TYPES]],
  pipelex_pipe_category: [ATTR.PIPE_CATEGORY, [...PIPE_CATEGORIES]],
};
const ERROR_SOURCES: Record<string, string> = {
  pipelex_error_type: ATTR.ERROR_TYPE,
  pipelex_error_code: ATTR.ERROR_CODE,
};
const NUMBER_SOURCES: Record<string, string> = {
  $ai_input_tokens: ATTR.GEN_AI_USAGE_INPUT_TOKENS,
  $ai_output_tokens: ATTR.GEN_AI_USAGE_OUTPUT_TOKENS,
  $ai_http_status: ATTR.HTTP_RESPONSE_STATUS_CODE,
};
const PARAMETER_SOURCES: Record<string, string> = {
  temperature: ATTR.GEN_AI_REQUEST_TEMPERATURE,
  max_tokens: ATTR.GEN_AI_REQUEST_MAX_TOKENS,
  seed: ATTR.GEN_AI_REQUEST_SEED,
  width: ATTR.IMAGE_WIDTH,
  height: ATTR.IMAGE_HEIGHT,
  structuring_method: ATTR.STRUCTURING_METHOD,
};

let samples: ReadableSpan[] = [];
beforeAll(async () => {
  const memory = inMemoryDestination();
  const telemetry = createTelemetry({ env: {}, destinations: [memory.destination] });
  await runSampleWorkflow(telemetry);
  await telemetry.shutdown();
  samples = memory.spans();
});

const attributeValue: fc.Arbitrary<AttributeValue> = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 60 }),
  fc.stringMatching(/^[A-Za-z0-9._:/@+-]{1,20}$/),
  fc.constantFrom(
    ...PIPE_TYPES,
    ...PIPE_CATEGORIES,
    ...GEN_AI_OPERATIONS,
    ...OUTPUT_TYPES,
    ...STRUCTURING_METHODS,
  ),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.array(fc.double(), { maxLength: 3 }),
);
const allKeys = [...Object.values(ATTR), "$ai_input", "prompt", "anything.else"];
const hostileAttributes: fc.Arbitrary<Attributes> = fc.dictionary(
  fc.constantFrom(...allKeys),
  attributeValue,
  { maxKeys: 30 },
);

describe("toGatewayEvent", () => {
  it("reads only allowlisted attributes, each through its type check, whatever the span holds", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 }),
        hostileAttributes,
        fc.string(),
        fc.constantFrom("pipe", "inference"),
        (index, extra, name, category) => {
          const source = samples[index]!;
          const attributes: Attributes = { ...source.attributes, ...extra, [ATTR.SPAN_CATEGORY]: category };
          const marked = `SPAN NAME ${name}`;
          const span = copySpan(source, { name: marked, attributes, status: { code: 2, message: marked } });
          const event = toGatewayEvent(span, { distinctId: "0123456789abcdef", newUuid: () => "u" })!;
          const p = event.properties as unknown as Record<string, unknown>;
          for (const [field, key] of Object.entries(MODEL_NAME_SOURCES)) {
            if (!(field in p)) continue;
            const raw = attributes[key];
            expect(typeof raw, field).toBe("string");
            expect(p[field]).toBe(modelName(raw));
            if (p[field] !== INVALID) expect(IDENTIFIER_PATTERN.test(raw as string)).toBe(true);
          }
          for (const [field, [key, list]] of Object.entries(CLOSED_SOURCES)) {
            if (!(field in p)) continue;
            const raw = attributes[key];
            expect(p[field]).toBe(typeof raw === "string" && list.includes(raw) ? raw : "other");
          }
          for (const [field, key] of Object.entries(ERROR_SOURCES)) {
            if (!(field in p)) continue;
            const raw = attributes[key];
            expect(typeof raw, field).toBe("string");
            // Error types and codes come from providers: held to the stricter code shape.
            expect(p[field]).toBe(ERROR_CODE_PATTERN.test(raw as string) ? raw : "invalid");
          }
          for (const [field, key] of Object.entries(NUMBER_SOURCES)) {
            if (field in p) expect(p[field]).toBe(attributes[key]);
          }
          const params = (p.$ai_model_parameters ?? {}) as Record<string, unknown>;
          for (const [field, key] of Object.entries(PARAMETER_SOURCES)) {
            if (!(field in params)) continue;
            if (field === "structuring_method") {
              const raw = attributes[key];
              expect(params[field]).toBe(
                typeof raw === "string" && STRUCTURING_METHODS.has(raw) ? raw : "other",
              );
            } else {
              expect(params[field]).toBe(attributes[key]);
              expect(Number.isFinite(params[field])).toBe(true);
            }
          }
          // No string value that is not an identifier, a hex id or a fixed constant ever leaves.
          const strings: string[] = [];
          JSON.stringify(event, (_k, v: unknown) => {
            if (typeof v === "string") strings.push(v);
            return v;
          });
          for (const s of strings) {
            const constant = s === "$ai_generation" || s === "$ai_span";
            expect(constant || IDENTIFIER_PATTERN.test(s) || /^\d{4}-\d\d-\d\dT/.test(s), s).toBe(true);
          }
          expect(JSON.stringify(event)).not.toContain("SPAN NAME");
        },
      ),
      { numRuns: 500 },
    );
  });

  it("maps inference spans to $ai_generation and pipe spans to $ai_span, and ignores other spans", () => {
    const identity = { distinctId: "0123456789abcdef", newUuid: () => "u" };
    const names = samples.map((s) => toGatewayEvent(s, identity)?.event).sort();
    expect(names).toEqual(["$ai_generation", "$ai_generation", "$ai_span"]);
    const other = copySpan(samples[0]!, { attributes: { [ATTR.SPAN_CATEGORY]: "something" } });
    expect(toGatewayEvent(other, identity)).toBeUndefined();
  });
});

describe("error codes", () => {
  it("sends code-shaped error codes and types, and 'invalid' for anything an app or provider could fill with text", () => {
    const failing = samples.find((s) => s.attributes[ATTR.ERROR_TYPE] !== undefined)!;
    const withCode = (code: string) =>
      toGatewayEvent(copySpan(failing, { attributes: { ...failing.attributes, [ATTR.ERROR_CODE]: code } }), {
        distinctId: "0123456789abcdef",
        newUuid: () => "00000000-0000-4000-8000-000000000000",
      });
    expect(withCode("context_length_exceeded")?.properties.pipelex_error_code).toBe(
      "context_length_exceeded",
    );
    expect(withCode("ECONNRESET")?.properties.pipelex_error_code).toBe("ECONNRESET");
    for (const leaky of [
      "jane.doe@example.com",
      "/home/jane/contracts/acme.pdf",
      "https://x.example/a",
      "a".repeat(65),
    ]) {
      expect(withCode(leaky)?.properties.pipelex_error_code).toBe("invalid");
    }
  });
});
