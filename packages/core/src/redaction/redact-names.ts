import { ATTR, REDACTED } from "../span/attributes.js";
import { redactedName, redactedTraceName } from "../span/rebuild-name.js";
import { defineDraftRedactor, type Redactor } from "./redactor.js";
import type { SpanDraft } from "./span-draft.js";

/**
 * Replaces `key` with `[REDACTED]`, whatever type its value has; true when the span carried it.
 * (A value of any type counts: a redactor never keeps what it does not understand.)
 */
function redactAttribute(draft: SpanDraft, key: string): boolean {
  const value = draft.attributes[key];
  if (value === undefined) return false;
  if (value !== REDACTED) draft.setAttribute(key, REDACTED);
  return true;
}

/**
 * Pipe codes become `[REDACTED]`; span and trace names are rebuilt without them. Fails closed:
 * a core span is renamed even when its code attribute is missing, a name that cannot be rebuilt
 * becomes a placeholder, and a trace name is always replaced by its redacted form.
 */
export function redactPipeCodes(): Redactor {
  return defineDraftRedactor("redactPipeCodes", (draft) => {
    const hadCode = redactAttribute(draft, ATTR.PIPE_CODE);
    if (draft.attributes[ATTR.TRACE_NAME] !== undefined) {
      const redacted = redactedTraceName(draft.source);
      if (draft.attributes[ATTR.TRACE_NAME] !== redacted) draft.setAttribute(ATTR.TRACE_NAME, redacted);
    }
    draft.name = redactedName(draft.name, draft.attributes, hadCode);
    return true;
  });
}

/** Output class names become `[REDACTED]` (`Object` in span names, as in the Python implementation). */
export function redactClassNames(): Redactor {
  return defineDraftRedactor("redactClassNames", (draft) => {
    const hadClassName = redactAttribute(draft, ATTR.OUTPUT_CLASS_NAME);
    // Pipe span names hold no class name; inference names are rebuilt (see redactPipeCodes).
    if (hadClassName || draft.attributes[ATTR.SPAN_CATEGORY] === "inference")
      draft.name = redactedName(draft.name, draft.attributes, hadClassName);
    return true;
  });
}
