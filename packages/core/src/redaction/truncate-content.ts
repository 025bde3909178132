import type { Attributes, AttributeValue } from "@opentelemetry/api";
import { TRUNCATED_SUFFIX } from "../span/attributes.js";
import { copySpan } from "../span/span-copy.js";
import { CONTENT_ATTRIBUTE_KEYS, CONTENT_EVENT_KEYS } from "./content-keys.js";
import { defineRedactor, type Redactor } from "./redactor.js";

/** Cuts content strings (messages, error text) to `maxLength` characters plus `... [truncated]`. */
export function truncateContent(maxLength: number): Redactor {
  if (!Number.isInteger(maxLength) || maxLength < 0) {
    throw new RangeError(`truncateContent: maxLength must be a non-negative integer, got ${maxLength}`);
  }
  const cut = (value: AttributeValue | undefined): AttributeValue | undefined =>
    typeof value === "string" && value.length > maxLength
      ? value.slice(0, maxLength) + TRUNCATED_SUFFIX
      : value;

  const cutKeys = (attributes: Attributes, keys: readonly string[]): Attributes => {
    let result: Attributes | undefined;
    for (const key of keys) {
      const before = attributes[key];
      const after = cut(before);
      if (after !== before) {
        result ??= { ...attributes };
        result[key] = after;
      }
    }
    return result ?? attributes;
  };

  return defineRedactor(`truncateContent(${maxLength})`, (span) => {
    const attributes = cutKeys(span.attributes, CONTENT_ATTRIBUTE_KEYS);
    let eventsChanged = false;
    const events = span.events.map((event) => {
      if (!event.attributes) return event;
      const next = cutKeys(event.attributes, CONTENT_EVENT_KEYS);
      if (next === event.attributes) return event;
      eventsChanged = true;
      return { ...event, attributes: next };
    });
    const message = cut(span.status.message) as string | undefined;
    const status = message === span.status.message ? span.status : { ...span.status, message };
    if (attributes === span.attributes && !eventsChanged && status === span.status) return span;
    return copySpan(span, { attributes, events: eventsChanged ? events : span.events, status });
  });
}
