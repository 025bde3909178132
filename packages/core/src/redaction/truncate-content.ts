import type { Attributes, AttributeValue } from "@opentelemetry/api";
import { REDACTED, TRUNCATED_SUFFIX } from "../span/attributes.js";
import { mapIfChanged } from "../span/span-copy.js";
import { CONTENT_ATTRIBUTE_KEYS, CONTENT_EVENT_KEYS } from "./content-keys.js";
import { defineDraftRedactor, type Redactor } from "./redactor.js";

/** Cuts content strings (messages, error text) to `maxLength` characters plus `... [truncated]`. */
export function truncateContent(maxLength: number): Redactor {
  if (!Number.isInteger(maxLength) || maxLength < 0) {
    throw new RangeError(`truncateContent: maxLength must be a non-negative integer, got ${maxLength}`);
  }
  // Content is always a string on core's spans; anything else (a foreign span's array or object)
  // cannot be cut, so it is replaced rather than passed on whole.
  const cut = (value: AttributeValue | undefined): AttributeValue | undefined => {
    if (typeof value !== "string") return value === undefined ? undefined : REDACTED;
    return value.length > maxLength ? value.slice(0, maxLength) + TRUNCATED_SUFFIX : value;
  };

  const cutEventKeys = (attributes: Attributes): Attributes => {
    let result: Attributes | undefined;
    for (const key of CONTENT_EVENT_KEYS) {
      const before = attributes[key];
      const after = cut(before);
      if (after !== before) {
        result ??= { ...attributes };
        result[key] = after;
      }
    }
    return result ?? attributes;
  };

  return defineDraftRedactor(`truncateContent(${maxLength})`, (draft) => {
    for (const key of CONTENT_ATTRIBUTE_KEYS) {
      const before = draft.attributes[key];
      const after = cut(before);
      if (after !== before) draft.setAttribute(key, after!);
    }
    draft.events = mapIfChanged(draft.events, (event) => {
      if (!event.attributes) return event;
      const attributes = cutEventKeys(event.attributes);
      return attributes === event.attributes ? event : { ...event, attributes };
    });
    const message = cut(draft.status.message) as string | undefined;
    if (message !== draft.status.message) draft.status = { ...draft.status, message };
    return true;
  });
}
