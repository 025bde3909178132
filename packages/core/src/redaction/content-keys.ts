import { ATTR, EXCEPTION_EVENT } from "../span/attributes.js";

/** Attribute keys that hold content (prompts, completions). */
export const CONTENT_ATTRIBUTE_KEYS: ReadonlySet<string> = new Set([
  ATTR.GEN_AI_INPUT_MESSAGES,
  ATTR.GEN_AI_OUTPUT_MESSAGES,
]);

/** Event attribute keys that hold error text; providers echo prompts in error messages. */
export const CONTENT_EVENT_KEYS: ReadonlySet<string> = new Set([
  EXCEPTION_EVENT.MESSAGE,
  EXCEPTION_EVENT.STACKTRACE,
]);

export function isContentAttribute(key: string): boolean {
  return CONTENT_ATTRIBUTE_KEYS.has(key) || key.startsWith(ATTR.PARAM_PREFIX);
}
