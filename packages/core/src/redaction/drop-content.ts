import type { TimedEvent } from "@opentelemetry/sdk-trace-base";
import { copySpan, withoutAttributes } from "../span/span-copy.js";
import { CONTENT_EVENT_KEYS, isContentAttribute } from "./content-keys.js";
import { defineRedactor, type Redactor } from "./redactor.js";

/**
 * Removes input/output messages, unknown params, error messages (status text) and exception
 * event text (message and stack trace: a stack's first line repeats the message).
 */
export function dropContent(): Redactor {
  return defineRedactor(
    "dropContent",
    (span) => {
      const attributes = withoutAttributes(span.attributes, isContentAttribute);
      const events = dropEventContent(span.events);
      const status = span.status.message === undefined ? span.status : { code: span.status.code };
      if (attributes === span.attributes && events === span.events && status === span.status) return span;
      return copySpan(span, { attributes, events, status });
    },
    { removesContent: true },
  );
}

function dropEventContent(events: TimedEvent[]): TimedEvent[] {
  let changed = false;
  const result = events.map((event) => {
    if (!event.attributes) return event;
    const attributes = withoutAttributes(event.attributes, (key) => CONTENT_EVENT_KEYS.has(key));
    if (attributes === event.attributes) return event;
    changed = true;
    return { ...event, attributes };
  });
  return changed ? result : events;
}
