import fc from "fast-check";
import { expect, it } from "vitest";
import { spanEventUuid, traceStartUuid } from "./ids.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));

it("derives valid, stable UUIDs; a trace-start never collides with a span event of its trace", () => {
  fc.assert(
    fc.property(hex(32), hex(16), (traceId, spanId) => {
      const a = spanEventUuid(traceId, spanId);
      expect(a).toMatch(UUID);
      expect(spanEventUuid(traceId, spanId)).toBe(a);
      expect(traceStartUuid(traceId)).toMatch(UUID);
      if (traceId.slice(16) !== traceId.slice(0, 16) || spanId !== traceId.slice(0, 16))
        expect(traceStartUuid(traceId)).not.toBe(a);
    }),
  );
});
