import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";

/**
 * Takes a span, returns a span (the same one when nothing changes, else a copy) or `null` to
 * drop it for this destination. Must never edit the span it is given.
 */
export type RedactorFn = (span: ReadableSpan) => ReadableSpan | null;

export interface Redactor extends RedactorFn {
  /** Shown by `pipelex-telemetry status`. */
  readonly redactorName: string;
  /**
   * True when, after this redactor, no prompt, completion, or error text remains. When every
   * destination's policy has such a redactor, content is never even serialized onto spans.
   */
  readonly removesContent: boolean;
}

export function defineRedactor(
  redactorName: string,
  fn: RedactorFn,
  options: { removesContent?: boolean } = {},
): Redactor {
  return Object.assign((span: ReadableSpan) => fn(span), {
    redactorName,
    removesContent: options.removesContent ?? false,
  });
}

/** Accepts plain functions too, as users of other SDKs expect. */
export type RedactorLike = Redactor | RedactorFn;

export function toRedactor(candidate: RedactorLike): Redactor {
  if ("redactorName" in candidate && "removesContent" in candidate) return candidate as Redactor;
  return defineRedactor(candidate.name || "custom", candidate);
}

/** Applies redactors in order; stops at the first `null`. */
export function composeRedactors(...redactors: RedactorLike[]): Redactor {
  const list = redactors.map(toRedactor);
  if (list.length === 1) return list[0]!;
  return defineRedactor(
    list.map((r) => r.redactorName).join(" + ") || "none",
    (span) => {
      let current: ReadableSpan | null = span;
      for (const redactor of list) {
        current = redactor(current);
        if (current === null) return null;
      }
      return current;
    },
    { removesContent: list.some((r) => r.removesContent) },
  );
}
