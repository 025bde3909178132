import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonBytesWriter } from "./json-bytes.js";

const encoder = new TextEncoder();
/** What the body was before the writer: JSON.stringify, then UTF-8. */
const stringified = (value: unknown) => {
  const json = JSON.stringify(value);
  return json === undefined ? new Uint8Array() : encoder.encode(json);
};
const written = (value: unknown, capacity?: number) => {
  const writer = new JsonBytesWriter(capacity);
  writer.value(value);
  return writer.result();
};

/** Strings of every kind: ASCII, quotes and backslashes, control characters, lone surrogates, emoji. */
const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.string({ unit: "grapheme" }),
  fc.constantFrom('a"b', "a\\b", "line\nbreak", "\u0000\u001f\u007f", "\ud800", "\udfff x", "€ 😀"),
);
const anyValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    anyString,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constantFrom(null, undefined, -0, Number.NaN, Number.POSITIVE_INFINITY, 1e21, 5e-7),
    fc.constantFrom(new Date(0), () => 1, Symbol("s"), { toJSON: () => "custom" }, Object.create(null)),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(anyString, tie("value"), { maxKeys: 5 }),
  ),
})).value;

describe("JsonBytesWriter", () => {
  it("writes the bytes of TextEncoder.encode(JSON.stringify(value)), whatever the value", () => {
    fc.assert(
      fc.property(anyValue, fc.integer({ min: 1, max: 64 }), (value, capacity) => {
        expect(written(value, capacity)).toEqual(stringified(value));
      }),
      { numRuns: 2000 },
    );
  });

  it("writes a gateway batch as one JSON document, events one after the other", () => {
    const events = [
      { event: "$ai_span", uuid: "u1", properties: { $ai_is_error: false, $ai_latency: 0.012 } },
      { event: "$ai_generation", uuid: "u2", properties: { $ai_model: "gpt-4o", $ai_input_tokens: 420 } },
    ];
    const writer = new JsonBytesWriter(8);
    writer.raw(`{"api_key":`);
    writer.value("phc_project");
    writer.raw(`,"batch":[`);
    events.forEach((event, i) => {
      if (i > 0) writer.raw(",");
      writer.value(event);
    });
    writer.raw("]}");
    expect(writer.result()).toEqual(stringified({ api_key: "phc_project", batch: events }));
  });

  it("leaves out what JSON.stringify leaves out, and says so", () => {
    const writer = new JsonBytesWriter();
    expect(writer.value(undefined)).toBe(false);
    expect(writer.value(() => 1)).toBe(false);
    expect(writer.result()).toHaveLength(0);
    expect(() => writer.value(1n)).toThrow(TypeError);
  });
});
