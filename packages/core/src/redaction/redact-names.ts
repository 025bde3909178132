import type { Attributes } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { ATTR, REDACTED } from "../span/attributes.js";
import { nameFromAttributes, redactedTraceName } from "../span/rebuild-name.js";
import { copySpan } from "../span/span-copy.js";
import { defineRedactor, type Redactor } from "./redactor.js";

function replaceAttribute(
  span: ReadableSpan,
  key: string,
  extra?: (attrs: Attributes) => void,
): ReadableSpan {
  const value = span.attributes[key];
  if (value === undefined || value === REDACTED) return span;
  const attributes: Attributes = { ...span.attributes, [key]: REDACTED };
  extra?.(attributes);
  return copySpan(span, { attributes, name: nameFromAttributes(span, attributes) ?? span.name });
}

/** Pipe codes become `[REDACTED]`; span and trace names are rebuilt without them. */
export function redactPipeCodes(): Redactor {
  return defineRedactor("redactPipeCodes", (span) =>
    replaceAttribute(span, ATTR.PIPE_CODE, (attributes) => {
      if (attributes[ATTR.TRACE_NAME] !== undefined) attributes[ATTR.TRACE_NAME] = redactedTraceName(span);
    }),
  );
}

/** Output class names become `[REDACTED]` (`Object` in span names, as in the Python implementation). */
export function redactClassNames(): Redactor {
  return defineRedactor("redactClassNames", (span) => replaceAttribute(span, ATTR.OUTPUT_CLASS_NAME));
}
