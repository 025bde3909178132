import { describe, expect, it } from "vitest";
import { randomUuid } from "./uuid.js";

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("randomUuid", () => {
  it("makes version 4 UUIDs, a new one each call, across many pools of random bytes", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const uuid = randomUuid();
      expect(uuid).toMatch(V4);
      seen.add(uuid);
    }
    expect(seen.size).toBe(5000);
  });

  it("spreads its bits: every hex digit shows up at every random position", () => {
    const digits = Array.from({ length: 36 }, () => new Set<string>());
    for (let i = 0; i < 2000; i++) {
      const uuid = randomUuid();
      for (let at = 0; at < uuid.length; at++) digits[at]!.add(uuid[at]!);
    }
    const fixed = new Map([
      [8, 1],
      [13, 1],
      [14, 1],
      [18, 1],
      [19, 4],
      [23, 1],
    ]);
    for (const [at, set] of digits.entries()) expect(set.size, `position ${at}`).toBe(fixed.get(at) ?? 16);
  });
});
