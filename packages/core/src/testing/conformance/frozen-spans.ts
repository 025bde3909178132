import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { copySpan } from "../../span/span-copy.js";

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** A copy of `span` nothing can edit: an exporter that tries gets a TypeError, and the kit sees it. */
export function deepFrozenCopy(span: ReadableSpan): ReadableSpan {
  const clone = <T>(v: T): T => structuredClone(v);
  const copy = copySpan(span, {
    name: span.name,
    attributes: deepFreeze(clone(span.attributes)),
    events: deepFreeze(clone(span.events)),
    links: deepFreeze(clone(span.links)),
    status: deepFreeze(clone(span.status)),
  });
  return Object.freeze(copy);
}

/** What the kit compares before and after `export` to see whether the spans were edited. */
export function describeSpan(span: ReadableSpan): unknown {
  return {
    name: span.name,
    attributes: span.attributes,
    events: span.events,
    status: span.status,
    links: span.links,
  };
}
