import { SpanStatusCode } from "@opentelemetry/api";
import { resourceFromAttributes } from "@opentelemetry/resources";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allSpanText } from "../../test/span-text.js";
import { copySpan } from "../span/span-copy.js";
import { createTelemetry } from "../telemetry/create-telemetry.js";
import { inMemoryDestination } from "../testing/in-memory.js";
import { createStringMasker, maskPatterns } from "./mask-patterns.js";

// --- generators of secrets, each a standalone token -------------------------------------------
const alnum = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
const alnumString = (min: number, max: number) => fc.string({ unit: alnum, minLength: min, maxLength: max });
const lower = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz");
const word = (min: number, max: number) => fc.string({ unit: lower, minLength: min, maxLength: max });

const email = fc
  .tuple(
    word(1, 12),
    fc.constantFrom("", ".", "_", "+"),
    word(0, 6),
    word(2, 10),
    fc.constantFrom("com", "io", "fr", "co.uk"),
  )
  .map(([a, sep, b, domain, tld]) => `${a}${b ? sep + b : ""}@${domain}.${tld}`);
const apiKey = fc.oneof(
  alnumString(20, 48).map((s) => `sk-${s}`),
  alnumString(20, 40).map((s) => `sk-proj-${s}`),
  alnumString(24, 40).map((s) => `sk-ant-api03-${s}`),
  alnumString(20, 40).map((s) => `phc_${s}`),
);
const bearer = alnumString(12, 60).map((s) => `Bearer ${s}`);
const urlCredentials = fc
  .tuple(word(2, 10), alnumString(4, 20), word(3, 12), fc.constantFrom("https", "http", "postgres", "redis"))
  .map(([user, password, host, scheme]) => ({
    secret: `${user}:${password}`,
    text: `${scheme}://${user}:${password}@${host}.example.com/db`,
  }));

function luhnComplete(prefix: number[]): string {
  // Append the check digit that makes the number pass Luhn.
  for (let check = 0; check <= 9; check++) {
    const digits = [...prefix, check];
    let sum = 0;
    for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
      let d = digits[i]!;
      if (double) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    }
    if (sum % 10 === 0) return digits.join("");
  }
  throw new Error("unreachable");
}
const cardNumber = fc
  .tuple(
    fc.constantFrom(4, 5, 3, 6),
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 14, maxLength: 14 }),
    fc.constantFrom("", " ", "-"),
  )
  .map(([first, rest, sep]) => {
    const digits = luhnComplete([first, ...rest]);
    return { digits, text: sep ? digits.match(/.{1,4}/g)!.join(sep) : digits };
  });

interface Seeded {
  text: string;
  /** What must not survive, as it would be searched for. */
  needles: string[];
}
const seededSecret: fc.Arbitrary<Seeded> = fc.oneof(
  email.map((e) => ({ text: e, needles: [e] })),
  apiKey.map((k) => ({ text: k, needles: [k] })),
  bearer.map((b) => ({ text: b, needles: [b.slice("Bearer ".length)] })),
  urlCredentials.map((u) => ({ text: u.text, needles: [u.secret] })),
  cardNumber.map((c) => ({ text: c.text, needles: [c.digits, c.text] })),
);

/** Text that cannot contain any of the patterns: letters, spaces and light punctuation only. */
const cleanText = fc.string({
  unit: fc.constantFrom(..."abcdefghij klmnopqrstuvwxyz ABC,.!?;'()"),
  maxLength: 60,
});

const textWithSecrets = fc
  .tuple(fc.array(fc.tuple(cleanText, seededSecret), { minLength: 1, maxLength: 4 }), cleanText)
  .map(([parts, tail]) => ({
    text: parts.map(([before, secret]) => `${before} ${secret.text} `).join("") + tail,
    needles: parts.flatMap(([, secret]) => secret.needles),
  }));

const PLACES = [
  "spanName",
  "stringAttribute",
  "arrayAttribute",
  "eventName",
  "eventAttribute",
  "linkAttribute",
  "statusMessage",
  "resource",
] as const;
type Place = (typeof PLACES)[number];

let baseSpan: ReadableSpan | undefined;
async function realSpan(): Promise<ReadableSpan> {
  if (baseSpan) return baseSpan;
  const memory = inMemoryDestination("base");
  const telemetry = createTelemetry({ env: {}, destinations: [memory.destination] });
  telemetry.pipeRun({ runId: "r", pipeCode: "code", pipeType: "PipeLLM" }, () => undefined);
  await telemetry.shutdown();
  baseSpan = memory.spans()[0]!;
  return baseSpan;
}

/** A real span with `text` placed in one of the strings a span can carry. */
function carrying(span: ReadableSpan, text: string, place: Place): ReadableSpan {
  const link = { context: span.spanContext(), attributes: { note: place === "linkAttribute" ? text : "x" } };
  return copySpan(span, {
    name: place === "spanName" ? text : span.name,
    attributes: {
      ...span.attributes,
      note: place === "stringAttribute" ? text : "plain",
      list: place === "arrayAttribute" ? ["a", text] : ["a"],
    },
    events: [
      {
        name: place === "eventName" ? text : "exception",
        time: span.startTime,
        attributes: { "exception.message": place === "eventAttribute" ? text : "plain" },
      },
    ],
    links: [link],
    status: { code: SpanStatusCode.ERROR, message: place === "statusMessage" ? text : "plain" },
    resource: place === "resource" ? resourceFromAttributes({ "service.version": text }) : span.resource,
  });
}

describe("maskPatterns (property-based)", () => {
  it("leaves none of the seeded secrets, wherever the span carries them", async () => {
    const redactor = maskPatterns();
    const span = await realSpan();
    fc.assert(
      fc.property(textWithSecrets, fc.constantFrom(...PLACES), ({ text, needles }, place) => {
        const input = carrying(span, text, place);
        // Sanity: the secret really is in the span before masking.
        const escaped = JSON.stringify(text).slice(1, -1);
        expect(allSpanText(input)).toContain(escaped);
        const masked = redactor(input)!;
        const all = allSpanText(masked);
        for (const needle of needles) expect(all).not.toContain(needle);
        // Copy-on-write: the input span is unchanged.
        expect(allSpanText(input)).toContain(escaped);
      }),
      { numRuns: 400 },
    );
  });

  it("masks inside error text, event names and status messages too", async () => {
    await fc.assert(
      fc.asyncProperty(textWithSecrets, async ({ text, needles }) => {
        const memory = inMemoryDestination("masked", { redact: [maskPatterns()] });
        const telemetry = createTelemetry({ env: {}, destinations: [memory.destination] });
        await telemetry
          .inference({ model: "m", provider: "p", operation: "chat" }, async () => {
            throw new Error(text);
          })
          .catch(() => undefined);
        await telemetry.forceFlush();
        const [span] = memory.spans();
        expect(span?.status.code).toBe(SpanStatusCode.ERROR);
        const all = allSpanText(span!);
        for (const needle of needles) expect(all).not.toContain(needle);
      }),
      { numRuns: 100 },
    );
  });

  it("passes strings without secrets through unchanged", () => {
    const mask = createStringMasker();
    fc.assert(
      fc.property(cleanText, (text) => {
        expect(mask(text)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it("returns the very same span when nothing needs masking", async () => {
    const memory = inMemoryDestination("masked", { redact: [maskPatterns()] });
    const full = inMemoryDestination("full");
    const telemetry = createTelemetry({ env: {}, destinations: [memory.destination, full.destination] });
    telemetry.pipeRun({ runId: "r", pipeCode: "clean", pipeType: "PipeLLM" }, () => undefined);
    await telemetry.forceFlush();
    expect(memory.spans()[0]).toBe(full.spans()[0]);
  });

  it("does not mask digit runs that fail the Luhn check, and honours user patterns with their flags", () => {
    const mask = createStringMasker({ patterns: [/project-[a-z]+/i] });
    expect(mask("order 4111 1111 1111 1112 shipped")).toBe("order 4111 1111 1111 1112 shipped");
    expect(mask("order 4111 1111 1111 1111 shipped")).toBe("order [MASKED] shipped");
    expect(mask("see PROJECT-Apollo now")).toBe("see [MASKED] now");
    expect(mask("https://u:p4ss@db.example.com/x")).toBe("https://[MASKED]@db.example.com/x");
    expect(mask("Authorization: Bearer abc.def-123")).toBe("Authorization: Bearer [MASKED]");
  });

  it("an email right after a card-shaped digit run is masked, whether or not the run passes Luhn", () => {
    const mask = createStringMasker();
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 18 }),
        fc.constantFrom("", " ", "-"),
        word(2, 10),
        fc.constantFrom("com", "io", "fr"),
        (digits, sep, domain, tld) => {
          const run = digits
            .join("")
            .match(/.{1,4}/g)!
            .join(sep);
          const lastGroup = run.split(/[ -]/).pop()!;
          const email = `${lastGroup}@${domain}.${tld}`;
          const text = `ref ${run}@${domain}.${tld} end`;
          const masked = mask(text);
          expect(masked).not.toContain(email);
          if (luhnValidDigits(digits.join("")) && digits.length >= 13) expect(masked).not.toContain(run);
        },
      ),
      { numRuns: 400 },
    );
    // The case a single combined pass got wrong: the Luhn-invalid run swallowed the email's start.
    expect(mask("ref 1234 5678 9012 3456@corp.com")).not.toContain("3456@corp.com");
  });
});

function luhnValidDigits(digits: string): boolean {
  return luhnComplete([...digits.slice(0, -1)].map(Number)) === digits;
}
