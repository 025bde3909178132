import type { Attributes, Link, SpanContext, SpanStatus } from "@opentelemetry/api";
import type { Resource } from "@opentelemetry/resources";
import type { ReadableSpan, TimedEvent } from "@opentelemetry/sdk-trace-base";

/** The fields a redactor may replace. Everything else is carried over from the source span. */
export interface SpanPatch {
  name?: string;
  attributes?: Attributes;
  events?: TimedEvent[];
  status?: SpanStatus;
  resource?: Resource;
  links?: Link[];
}

/** Shared by every copy: returns the context stored on it. */
function spanContextOfCopy(this: { readonly _spanContext: SpanContext }): SpanContext {
  return this._spanContext;
}

/**
 * Returns a new span with `patch` applied; the source is left untouched, and the copy never
 * aliases a field it changed, so the span one destination sees is never edited for another
 * (copy-on-write). A plain object literal, not a class: class fields would be defined, then
 * assigned, on every copy, and copies are made per span per redacting destination.
 */
export function copySpan(source: ReadableSpan, patch: SpanPatch): ReadableSpan {
  const copy = {
    name: patch.name ?? source.name,
    kind: source.kind,
    parentSpanContext: source.parentSpanContext,
    startTime: source.startTime,
    endTime: source.endTime,
    status: patch.status ?? source.status,
    attributes: patch.attributes ?? source.attributes,
    links: patch.links ?? source.links,
    events: patch.events ?? source.events,
    duration: source.duration,
    ended: source.ended,
    resource: patch.resource ?? source.resource,
    instrumentationScope: source.instrumentationScope,
    droppedAttributesCount: source.droppedAttributesCount,
    droppedEventsCount: source.droppedEventsCount,
    droppedLinksCount: source.droppedLinksCount,
    _spanContext: source.spanContext(),
    spanContext: spanContextOfCopy,
  };
  return copy;
}

/**
 * New attributes object without the keys `shouldDrop` selects; returns the same object when none
 * is present. Builds the copy by assignment, never `delete` (which would turn the object into a
 * slow dictionary for every reader after it).
 */
export function withoutAttributes(attributes: Attributes, shouldDrop: (key: string) => boolean): Attributes {
  let found = false;
  for (const key in attributes) {
    if (shouldDrop(key)) {
      found = true;
      break;
    }
  }
  if (!found) return attributes;
  const result: Attributes = {};
  for (const key in attributes) {
    if (!shouldDrop(key)) result[key] = attributes[key];
  }
  return result;
}

/**
 * Maps each item; returns the same array when every item maps to itself, allocating only once
 * the first item changes (spans rarely have events or links to change).
 */
export function mapIfChanged<T>(items: T[], fn: (item: T) => T): T[] {
  let result: T[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const mapped = fn(item);
    if (mapped !== item && !result) result = items.slice(0, i);
    if (result) result.push(mapped);
  }
  return result ?? items;
}
