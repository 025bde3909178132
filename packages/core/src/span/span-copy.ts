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

/**
 * A span with some fields replaced. A class, not an object literal: V8 tracks where literals are
 * allocated and, when all the objects a literal made since the last scavenge are still alive
 * (a batch's copies, made together and held together until the export call), decides to
 * allocate that literal in the old generation from then on, which made whole runs ~30% slower.
 * Class instances are not tracked that way. Fields are assigned in the constructor, once
 * (`useDefineForClassFields` is off).
 */
class SpanCopy implements ReadableSpan {
  readonly name: string;
  readonly kind: ReadableSpan["kind"];
  readonly parentSpanContext: ReadableSpan["parentSpanContext"];
  readonly startTime: ReadableSpan["startTime"];
  readonly endTime: ReadableSpan["endTime"];
  readonly status: SpanStatus;
  readonly attributes: Attributes;
  readonly links: Link[];
  readonly events: TimedEvent[];
  readonly duration: ReadableSpan["duration"];
  readonly ended: boolean;
  readonly resource: Resource;
  readonly instrumentationScope: ReadableSpan["instrumentationScope"];
  readonly droppedAttributesCount: number;
  readonly droppedEventsCount: number;
  readonly droppedLinksCount: number;
  private readonly context: SpanContext;

  constructor(source: ReadableSpan, patch: SpanPatch) {
    this.name = patch.name ?? source.name;
    this.kind = source.kind;
    this.parentSpanContext = source.parentSpanContext;
    this.startTime = source.startTime;
    this.endTime = source.endTime;
    this.status = patch.status ?? source.status;
    this.attributes = patch.attributes ?? source.attributes;
    this.links = patch.links ?? source.links;
    this.events = patch.events ?? source.events;
    this.duration = source.duration;
    this.ended = source.ended;
    this.resource = patch.resource ?? source.resource;
    this.instrumentationScope = source.instrumentationScope;
    this.droppedAttributesCount = source.droppedAttributesCount;
    this.droppedEventsCount = source.droppedEventsCount;
    this.droppedLinksCount = source.droppedLinksCount;
    this.context = source.spanContext();
  }

  spanContext(): SpanContext {
    return this.context;
  }
}

/**
 * Returns a new span with `patch` applied; the source is left untouched, and the copy never
 * aliases a field it changed, so the span one destination sees is never edited for another
 * (copy-on-write).
 */
export function copySpan(source: ReadableSpan, patch: SpanPatch): ReadableSpan {
  return new SpanCopy(source, patch);
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
