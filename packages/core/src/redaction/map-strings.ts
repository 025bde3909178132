import type { Attributes, AttributeValue } from "@opentelemetry/api";
import { type Resource, resourceFromAttributes } from "@opentelemetry/resources";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { REDACTED } from "../span/attributes.js";
import { mapIfChanged } from "../span/span-copy.js";
import { SpanDraft } from "./span-draft.js";

export type StringMapper = (value: string) => string;

/**
 * Attribute values are strings, numbers, booleans or arrays of them. A span of foreign shape can
 * hold anything else (a nested object an exporter would serialize, a boxed string): such a value
 * cannot be searched, so it is replaced by `[REDACTED]` instead of passing through untouched.
 */
function isPlainScalar(value: unknown): boolean {
  const type = typeof value;
  return type === "number" || type === "boolean" || value === null || value === undefined;
}

function mapValue(value: AttributeValue | undefined, fn: StringMapper): AttributeValue | undefined {
  if (typeof value === "string") return fn(value);
  if (isPlainScalar(value)) return value;
  if (Array.isArray(value)) {
    let changed = false;
    const next = value.map((item: unknown) => {
      const mapped = typeof item === "string" ? fn(item) : isPlainScalar(item) ? item : REDACTED;
      if (mapped !== item) changed = true;
      return mapped;
    });
    return changed ? (next as AttributeValue) : value;
  }
  return REDACTED;
}

export function mapAttributes(attributes: Attributes, fn: StringMapper): Attributes {
  let result: Attributes | undefined;
  for (const key in attributes) {
    const before = attributes[key];
    const after = mapValue(before, fn);
    if (after !== before) {
      result ??= { ...attributes };
      result[key] = after;
    }
  }
  return result ?? attributes;
}

/**
 * Applies `fn` to every string a span carries: name, attributes, event names and attributes,
 * link attributes, status text, and resource attributes. Copy-on-write: returns the same span
 * when nothing changed. `resourceCache` lets callers map a shared resource once.
 */
export function mapSpanStrings(
  span: ReadableSpan,
  fn: StringMapper,
  resourceCache?: WeakMap<Resource, Resource>,
): ReadableSpan {
  const draft = new SpanDraft(span);
  mapDraftStrings(draft, fn, resourceCache);
  return draft.toSpan();
}

/** `mapSpanStrings` on a draft, for redactors fused into one policy. */
export function mapDraftStrings(
  draft: SpanDraft,
  fn: StringMapper,
  resourceCache?: WeakMap<Resource, Resource>,
): void {
  draft.name = fn(draft.name);
  const attributes = draft.attributes;
  for (const key in attributes) {
    const before = attributes[key];
    const after = mapValue(before, fn);
    if (after !== before) draft.setAttribute(key, after!);
  }
  // Most spans have no events or links: their mappers (two closures per span) are not even made.
  if (draft.events.length > 0)
    draft.events = mapIfChanged(draft.events, (event) => {
      const eventName = fn(event.name);
      const eventAttributes = event.attributes ? mapAttributes(event.attributes, fn) : undefined;
      if (eventName === event.name && eventAttributes === event.attributes) return event;
      return { ...event, name: eventName, attributes: eventAttributes };
    });
  if (draft.links.length > 0)
    draft.links = mapIfChanged(draft.links, (link) => {
      if (!link.attributes) return link;
      const linkAttributes = mapAttributes(link.attributes, fn);
      return linkAttributes === link.attributes ? link : { ...link, attributes: linkAttributes };
    });
  const status = draft.status;
  const message = status.message === undefined ? undefined : fn(status.message);
  if (message !== status.message) draft.status = { ...status, message };
  draft.resource = mapResource(draft.resource, fn, resourceCache);
}

function mapResource(resource: Resource, fn: StringMapper, cache?: WeakMap<Resource, Resource>): Resource {
  const cached = cache?.get(resource);
  if (cached) return cached;
  const attributes = mapAttributes(resource.attributes, fn);
  const mapped = attributes === resource.attributes ? resource : resourceFromAttributes(attributes);
  cache?.set(resource, mapped);
  return mapped;
}
