import type { Lazy } from "./types.js";

/**
 * Serializes content for `gen_ai.input.messages` / `gen_ai.output.messages`. A plain string
 * becomes one message with the given role; anything else is JSON as given. Never throws.
 */
export function serializeContent(content: Lazy<unknown>, role: "user" | "assistant"): string {
  try {
    const value = typeof content === "function" ? (content as () => unknown)() : content;
    if (typeof value === "string") return JSON.stringify([{ role, content: value }]);
    return JSON.stringify(value) ?? "null";
  } catch {
    return JSON.stringify("[unserializable content]");
  }
}
