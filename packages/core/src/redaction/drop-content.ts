import type { Attributes } from "@opentelemetry/api";
import type { TimedEvent } from "@opentelemetry/sdk-trace-base";
import { ATTR, EXCEPTION_EVENT } from "../span/attributes.js";
import { copySpan, mapIfChanged } from "../span/span-copy.js";
import { defineRedactor, type Redactor } from "./redactor.js";

const INPUT = ATTR.GEN_AI_INPUT_MESSAGES;
const OUTPUT = ATTR.GEN_AI_OUTPUT_MESSAGES;
const PARAMS = ATTR.PARAMS;
const MESSAGE = EXCEPTION_EVENT.MESSAGE;
const STACKTRACE = EXCEPTION_EVENT.STACKTRACE;

// The content keys are a fixed set, so a rest copy drops them without scanning every key.
function withoutContent(attributes: Attributes): Attributes {
  if (!(INPUT in attributes) && !(OUTPUT in attributes) && !(PARAMS in attributes)) return attributes;
  const { [INPUT]: _input, [OUTPUT]: _output, [PARAMS]: _params, ...rest } = attributes;
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
  return defineRedactor(
    "dropContent",
    (span) => {
      const attributes = withoutContent(span.attributes);
      const events = mapIfChanged(span.events, withoutErrorText);
      const status = span.status.message === undefined ? span.status : { code: span.status.code };
      if (attributes === span.attributes && events === span.events && status === span.status) return span;
      return copySpan(span, { attributes, events, status });
    },
    { removesContent: true },
  );
}
