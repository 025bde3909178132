import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { distinctIdFor } from "./distinct-id.js";

describe("distinctIdFor", () => {
  it("is the first 16 hex characters of SHA-256 of the key's UTF-8 bytes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 200, unit: "grapheme" }), async (key) => {
        const expected = createHash("sha256").update(key, "utf8").digest("hex").slice(0, 16);
        expect(await distinctIdFor(key)).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });

  it("a known vector", async () => {
    // printf %s 'pk-test-gateway-key' | sha256sum
    expect(await distinctIdFor("pk-test-gateway-key")).toBe(
      createHash("sha256").update("pk-test-gateway-key").digest("hex").slice(0, 16),
    );
    expect(await distinctIdFor("abc")).toBe("ba7816bf8f01cfea");
  });
});
