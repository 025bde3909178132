import type { Attributes, AttributeValue, Link, SpanStatus } from "@opentelemetry/api";
import type { Resource } from "@opentelemetry/resources";
import type { ReadableSpan, TimedEvent } from "@opentelemetry/sdk-trace-base";
import { copySpan } from "../span/span-copy.js";

/**
 * A span on its way through a chain of built-in redactors. Each redactor edits the draft; the
 * chain copies each field at most once and builds at most one span at the end, where separate
 * redactors would copy the attributes and the span once each.
 *
 * Copy-on-write still holds: fields start as the source span's own objects, and the attributes
 * are copied before their first in-place edit (`setAttribute`). A field is replaced, never
 * edited, unless this draft made it.
 */
export class SpanDraft {
  name: string;
  attributes: Attributes;
  events: TimedEvent[];
  links: Link[];
  status: SpanStatus;
  resource: Resource;
  /** True once `attributes` is an object this draft made, so edits in place touch nobody else. */
  private attributesOwned: boolean;

  constructor(readonly source: ReadableSpan) {
    this.name = source.name;
    this.attributes = source.attributes;
    this.events = source.events;
    this.links = source.links;
    this.status = source.status;
    this.resource = source.resource;
    this.attributesOwned = false;
  }

  /** Replaces the attributes with `next`, which must be a new object no one else holds (or the current one). */
  replaceAttributes(next: Attributes): void {
    if (next === this.attributes) return;
    this.attributes = next;
    this.attributesOwned = true;
  }

  setAttribute(key: string, value: AttributeValue): void {
    if (!this.attributesOwned) {
      this.attributes = { ...this.attributes };
      this.attributesOwned = true;
    }
    this.attributes[key] = value;
  }

  /** Removes `key`: in place once the draft owns the attributes, else in the one copy it makes. */
  deleteAttribute(key: string): void {
    if (!(key in this.attributes)) return;
    if (this.attributesOwned) {
      delete this.attributes[key];
      return;
    }
    const { [key]: _removed, ...rest } = this.attributes;
    this.attributes = rest;
    this.attributesOwned = true;
  }

  /** The source span when nothing changed, else one copy carrying every change. */
  toSpan(): ReadableSpan {
    const source = this.source;
    if (
      this.name === source.name &&
      this.attributes === source.attributes &&
      this.events === source.events &&
      this.links === source.links &&
      this.status === source.status &&
      this.resource === source.resource
    ) {
      return source;
    }
    return copySpan(source, {
      name: this.name,
      attributes: this.attributes,
      events: this.events,
      links: this.links,
      status: this.status,
      resource: this.resource,
    });
  }
}

/** Edits a draft; returns false to drop the span for this destination. */
export type DraftEdit = (draft: SpanDraft) => boolean;
