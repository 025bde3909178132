import type { Attributes } from "@opentelemetry/api";
import type { TimedEvent } from "@opentelemetry/sdk-trace-base";
import { ATTR, EXCEPTION_EVENT } from "../span/attributes.js";
import { mapIfChanged } from "../span/span-copy.js";
import { defineDraftRedactor, type Redactor } from "./redactor.js";

const INPUT = ATTR.GEN_AI_INPUT_MESSAGES;
const OUTPUT = ATTR.GEN_AI_OUTPUT_MESSAGES;
const PARAMS = ATTR.PARAMS;
const MESSAGE = EXCEPTION_EVENT.MESSAGE;
const STACKTRACE = EXCEPTION_EVENT.STACKTRACE;

// The content keys are a fixed set: a copy that skips three keys by name is cheaper than
// rest destructuring or a generic key filter. (`for...in` also walks inherited enumerable keys;
// span attributes are plain objects, and an inherited key would be copied, never content kept.)
function withoutContent(attributes: Attributes): Attributes {
  if (!(INPUT in attributes) && !(OUTPUT in attributes) && !(PARAMS in attributes)) return attributes;
  const rest: Attributes = {};
  for (const key in attributes) {
    if (key !== INPUT && key !== OUTPUT && key !== PARAMS) rest[key] = attributes[key];
  }
  return rest;
}

function withoutErrorText(event: TimedEvent): TimedEvent {
  const attributes = event.attributes;
  if (!attributes || (!(MESSAGE in attributes) && !(STACKTRACE in attributes))) return event;
  const { [MESSAGE]: _message, [STACKTRACE]: _stack, ...rest } = attributes;
  return { ...event, attributes: rest };
}

/**
 * Removes input/output messages, unknown params, error messages (status text) and exception
 * event text (message and stack trace: a stack's first line repeats the message).
 */
export function dropContent(): Redactor {
  return defineDraftRedactor(
    "dropContent",
    (draft) => {
      draft.replaceAttributes(withoutContent(draft.attributes));
      draft.events = mapIfChanged(draft.events, withoutErrorText);
      if (draft.status.message !== undefined) draft.status = { code: draft.status.code };
      return true;
    },
    { removesContent: true },
  );
}
