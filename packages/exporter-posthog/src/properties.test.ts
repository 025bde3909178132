import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contentValue, type Properties, safeIdentifier, withoutKeysDeep } from "./properties.js";

describe("withoutKeysDeep", () => {
  it("removes keys at every depth, in arrays too, without editing its input", () => {
    const input: Properties = {
      url: "https://x",
      keep: 1,
      $ai_model_parameters: { temperature: 0.2, max_tokens: 5 },
      $ai_input: [{ role: "user", content: [{ type: "image_url", image_url: { url: "https://img" } }] }],
    };
    const snapshot = JSON.stringify(input);
    const output = withoutKeysDeep(input, new Set(["url", "max_tokens"]));
    expect(output).toEqual({
      keep: 1,
      $ai_model_parameters: { temperature: 0.2 },
      $ai_input: [{ role: "user", content: [{ type: "image_url", image_url: {} }] }],
    });
    expect(JSON.stringify(input)).toBe(snapshot);
  });

  it("no removed key survives anywhere (property)", () => {
    const key = fc.constantFrom("a", "b", "url", "prompt", "x");
    const tree = fc.letrec<{ node: Properties[string] }>((tie) => ({
      node: fc.oneof(
        { depthSize: "small" },
        fc.string(),
        fc.integer(),
        fc.array(tie("node"), { maxLength: 3 }),
        fc.dictionary(key, tie("node"), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(key, tree), fc.uniqueArray(key, { maxLength: 3 }), (props, keys) => {
        const out = JSON.stringify(withoutKeysDeep(props as Properties, new Set(keys)));
        for (const k of keys) expect(out).not.toContain(`"${k}":`);
      }),
    );
  });
});

describe("contentValue", () => {
  it("parses JSON content and keeps truncated text as text", () => {
    expect(contentValue('[{"role":"user","content":"hi"}]')).toEqual([{ role: "user", content: "hi" }]);
    expect(contentValue('[{"role":"user","content":"hi... [truncated]')).toBe(
      '[{"role":"user","content":"hi... [truncated]',
    );
  });
});

describe("safeIdentifier", () => {
  it("keeps short identifiers and drops free text", () => {
    expect(safeIdentifier("RateLimitError")).toBe("RateLimitError");
    expect(safeIdentifier("context_length_exceeded")).toBe("context_length_exceeded");
    expect(safeIdentifier("Prompt too long: 'secret'")).toBeUndefined();
    expect(safeIdentifier("x".repeat(129))).toBeUndefined();
    expect(safeIdentifier(undefined)).toBeUndefined();
  });
});
