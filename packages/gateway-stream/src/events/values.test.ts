import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  count,
  dimension,
  hexId,
  httpStatus,
  IDENTIFIER_PATTERN,
  INVALID,
  identifier,
  isoTime,
  latencySeconds,
  modelName,
  seed,
  temperature,
} from "./values.js";

const anyValue = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.object(),
  fc.array(fc.anything()),
);

describe("identifier", () => {
  it("keeps exactly the strings that match the pattern; every other defined value becomes 'invalid'", () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        const result = identifier(value);
        if (value === undefined || value === null) expect(result).toBeUndefined();
        else if (typeof value === "string" && IDENTIFIER_PATTERN.test(value)) expect(result).toBe(value);
        else expect(result).toBe(INVALID);
      }),
      { numRuns: 500 },
    );
  });

  it("refuses prompts, long values and injection-shaped values", () => {
    expect(identifier("Summarize the contract for jane")).toBe(INVALID);
    expect(identifier("a".repeat(129))).toBe(INVALID);
    expect(identifier('gpt-4o","$ai_input":"x')).toBe(INVALID);
    expect(identifier("gpt-4o\n")).toBe(INVALID);
    expect(identifier("")).toBe(INVALID);
    expect(identifier("accounts/fireworks/models/llama-v3p1-70b")).toBe(
      "accounts/fireworks/models/llama-v3p1-70b",
    );
    expect(identifier("claude-3-5-sonnet@20240620")).toBe("claude-3-5-sonnet@20240620");
  });
});

describe("modelName", () => {
  it("keeps model and provider names, refuses emails, filesystem paths and URLs", () => {
    for (const name of [
      "gpt-4o",
      "gpt-4o-2024-08-06",
      "claude-3-5-sonnet@20240620",
      "accounts/fireworks/models/llama-v3p1-70b",
      "meta-llama/Llama-3.1-8B-Instruct",
      "anthropic.claude-3-sonnet-20240229-v1:0",
      "us.anthropic.claude-3-5-sonnet-20240620-v1:0",
      "ft:gpt-4o-mini:acme:custom:abc123",
      "gemini-1.5-pro",
      "nano-banana",
      "openai",
      "azure_openai",
      "unknown",
    ]) {
      expect(modelName(name), name).toBe(name);
    }
    for (const leaky of [
      "jane.doe@example.com",
      "j@acme.fr",
      "john.doe@example.com:1",
      "john.doe@example.com/x",
      "john.doe@example.com+x",
      "a@example.com.1",
      "/home/jane/contracts/acme.pdf",
      "~/secrets",
      "./local-model",
      "../up",
      "models/../../etc",
      "C:/Users/jane",
      "contracts/acme.pdf",
      "https://x.example/a",
      "http://10.0.0.1:8080/v1",
      "file:/etc/passwd",
      "mailto:jane@x",
      "www.example.org",
      "api.acme.com/v1",
      "localhost:11434/api",
      "Summarize the contract",
    ]) {
      expect(modelName(leaky), leaky).toBe(INVALID);
    }
    expect(modelName(undefined)).toBeUndefined();
    expect(modelName(42)).toBe(INVALID);
  });
});

describe("numbers", () => {
  it("are sent only when finite and in range, unchanged", () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        const isNum = typeof value === "number" && Number.isFinite(value);
        const isSafeInt = isNum && Number.isSafeInteger(value);
        expect(count(value)).toBe(isSafeInt && (value as number) >= 0 ? value : undefined);
        expect(dimension(value)).toBe(isSafeInt && (value as number) >= 1 ? value : undefined);
        expect(seed(value)).toBe(isSafeInt ? value : undefined);
        expect(temperature(value)).toBe(
          isNum && (value as number) >= 0 && (value as number) <= 100 ? value : undefined,
        );
        const status = httpStatus(value);
        if (status !== undefined)
          expect(Number.isInteger(status) && status >= 100 && status <= 599).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("drops NaN, infinities and huge values", () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e308, -1]) {
      expect(temperature(bad)).toBeUndefined();
    }
    expect(count(2 ** 60)).toBeUndefined();
    expect(count(1.5)).toBeUndefined();
    expect(latencySeconds(1234.4)).toBe(1.234);
    expect(latencySeconds(Number.NaN)).toBeUndefined();
  });

  it("hex ids must be lower-case hex of the exact width", () => {
    expect(hexId("0123456789abcdef", 16)).toBe("0123456789abcdef");
    expect(hexId("0123456789ABCDEF", 16)).toBeUndefined();
    expect(hexId("0123456789abcdef0", 16)).toBeUndefined();
    expect(hexId("prompt text here", 16)).toBeUndefined();
  });
});

describe("isoTime", () => {
  /** What isoTime computed before it reused the last instant formatted. */
  const reference = (ms: unknown) => {
    if (typeof ms !== "number" || !Number.isFinite(ms)) return undefined;
    const date = new Date(ms);
    return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
  };
  it("formats each instant as a fresh Date would, whatever came before (same and neighbouring milliseconds)", () => {
    const instant = fc.oneof(
      fc.double({ min: -1e16, max: 1e16 }),
      fc
        .integer({ min: 1_700_000_000_000, max: 1_700_000_000_004 })
        .chain((ms) => fc.constantFrom(ms, ms + 0.25, ms + 0.5, ms + 0.999, ms - 0.5, -ms - 0.5)),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 8.64e15, 8.64e15 + 1, -0, 0.5, -0.5),
    );
    fc.assert(
      fc.property(fc.array(instant, { maxLength: 20 }), (instants) => {
        for (const ms of instants) expect(isoTime(ms)).toBe(reference(ms));
      }),
      { numRuns: 500 },
    );
  });
});
