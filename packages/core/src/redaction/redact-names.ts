import { ATTR, REDACTED } from "../span/attributes.js";
import { nameFromAttributes, redactedTraceName } from "../span/rebuild-name.js";
import { defineDraftRedactor, type Redactor } from "./redactor.js";
import type { SpanDraft } from "./span-draft.js";

/** Replaces `key` with `[REDACTED]`; false when there was nothing to replace. */
function redactAttribute(draft: SpanDraft, key: string): boolean {
  const value = draft.attributes[key];
  if (value === undefined || value === REDACTED) return false;
  draft.setAttribute(key, REDACTED);
  return true;
}

/** Pipe codes become `[REDACTED]`; span and trace names are rebuilt without them. */
export function redactPipeCodes(): Redactor {
  return defineDraftRedactor("redactPipeCodes", (draft) => {
    if (!redactAttribute(draft, ATTR.PIPE_CODE)) return true;
    if (draft.attributes[ATTR.TRACE_NAME] !== undefined)
      draft.setAttribute(ATTR.TRACE_NAME, redactedTraceName(draft.source));
    draft.name = nameFromAttributes(draft.name, draft.attributes) ?? draft.name;
    return true;
  });
}

/** Output class names become `[REDACTED]` (`Object` in span names, as in the Python implementation). */
export function redactClassNames(): Redactor {
  return defineDraftRedactor("redactClassNames", (draft) => {
    if (redactAttribute(draft, ATTR.OUTPUT_CLASS_NAME))
      draft.name = nameFromAttributes(draft.name, draft.attributes) ?? draft.name;
    return true;
  });
}
