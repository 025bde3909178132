import { copySpan, withoutAttributes } from "../span/span-copy.js";
import { defineRedactor, type Redactor } from "./redactor.js";

/** Removes the given attribute keys from the span (not from events or the resource). */
export function dropAttributes(keys: Iterable<string>): Redactor {
  const dropped = new Set(keys);
  return defineRedactor(
    `dropAttributes(${[...dropped].join(", ")})`,
    (span) => {
      const attributes = withoutAttributes(span.attributes, (key) => dropped.has(key));
      return attributes === span.attributes ? span : copySpan(span, { attributes });
    },
    // Even dropping both message keys leaves error text, so this never counts as removing content.
    { removesContent: false },
  );
}
