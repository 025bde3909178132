import { withoutAttributes } from "../span/span-copy.js";
import { defineDraftRedactor, type Redactor } from "./redactor.js";

/** Removes the given attribute keys from the span (not from events or the resource). */
export function dropAttributes(keys: Iterable<string>): Redactor {
  const dropped = new Set(keys);
  return defineDraftRedactor(
    `dropAttributes(${[...dropped].join(", ")})`,
    (draft) => {
      draft.replaceAttributes(withoutAttributes(draft.attributes, (key) => dropped.has(key)));
      return true;
    },
    // Even dropping both message keys leaves error text, so this never counts as removing content.
    { removesContent: false },
  );
}
