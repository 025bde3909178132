import type { Attributes, HrTime, Link, SpanContext, SpanKind, SpanStatus } from "@opentelemetry/api";
import type { InstrumentationScope } from "@opentelemetry/core";
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
 * A read-only span value that redactors return. It never aliases a mutable field it changed,
 * so the span one destination sees is never edited for another (copy-on-write).
 */
class SpanCopy implements ReadableSpan {
  readonly name: string;
  readonly kind: SpanKind;
  readonly parentSpanContext: SpanContext | undefined;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly status: SpanStatus;
  readonly attributes: Attributes;
  readonly links: Link[];
  readonly events: TimedEvent[];
  readonly duration: HrTime;
  readonly ended: boolean;
  readonly resource: Resource;
  readonly instrumentationScope: InstrumentationScope;
  readonly droppedAttributesCount: number;
  readonly droppedEventsCount: number;
  readonly droppedLinksCount: number;
  private readonly context: SpanContext;

  constructor(source: ReadableSpan, patch: SpanPatch) {
    this.context = source.spanContext();
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
  }

  spanContext(): SpanContext {
    return this.context;
  }
}

/** Returns a new span with `patch` applied; the source is left untouched. */
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
