import { ATTR, EXCEPTION_EVENT } from "../span/attributes.js";

/** Attribute keys that hold content (prompts, completions) or may (unknown params). */
export const CONTENT_ATTRIBUTE_KEYS: readonly string[] = [
  ATTR.GEN_AI_INPUT_MESSAGES,
  ATTR.GEN_AI_OUTPUT_MESSAGES,
  ATTR.PARAMS,
];

/** Event attribute keys that hold error text; providers echo prompts in error messages. */
export const CONTENT_EVENT_KEYS: readonly string[] = [EXCEPTION_EVENT.MESSAGE, EXCEPTION_EVENT.STACKTRACE];
