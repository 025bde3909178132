import type { Attributes, AttributeValue } from "@opentelemetry/api";
import { type Resource, resourceFromAttributes } from "@opentelemetry/resources";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { copySpan, mapIfChanged } from "../span/span-copy.js";

export type StringMapper = (value: string) => string;

function mapValue(value: AttributeValue | undefined, fn: StringMapper): AttributeValue | undefined {
  if (typeof value === "string") return fn(value);
  if (Array.isArray(value)) {
    let changed = false;
    const next = value.map((item) => {
      if (typeof item !== "string") return item;
      const mapped = fn(item);
      if (mapped !== item) changed = true;
      return mapped;
    });
    return changed ? (next as AttributeValue) : value;
  }
  return value;
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
  const name = fn(span.name);
  const attributes = mapAttributes(span.attributes, fn);

  const events = mapIfChanged(span.events, (event) => {
    const eventName = fn(event.name);
    const eventAttributes = event.attributes ? mapAttributes(event.attributes, fn) : undefined;
    if (eventName === event.name && eventAttributes === event.attributes) return event;
    return { ...event, name: eventName, attributes: eventAttributes };
  });
  const links = mapIfChanged(span.links, (link) => {
    if (!link.attributes) return link;
    const linkAttributes = mapAttributes(link.attributes, fn);
    return linkAttributes === link.attributes ? link : { ...link, attributes: linkAttributes };
  });

  const message = span.status.message === undefined ? undefined : fn(span.status.message);
  const status = message === span.status.message ? span.status : { ...span.status, message };
  const resource = mapResource(span.resource, fn, resourceCache);

  if (
    name === span.name &&
    attributes === span.attributes &&
    events === span.events &&
    links === span.links &&
    status === span.status &&
    resource === span.resource
  ) {
    return span;
  }
  return copySpan(span, {
    name,
    attributes,
    events,
    links,
    status,
    resource,
  });
}

function mapResource(resource: Resource, fn: StringMapper, cache?: WeakMap<Resource, Resource>): Resource {
  const cached = cache?.get(resource);
  if (cached) return cached;
  const attributes = mapAttributes(resource.attributes, fn);
  const mapped = attributes === resource.attributes ? resource : resourceFromAttributes(attributes);
  cache?.set(resource, mapped);
  return mapped;
}
