import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";

/** Every string a span carries, joined: for "appears nowhere" assertions. */
export function allSpanText(span: ReadableSpan): string {
  return JSON.stringify({
    name: span.name,
    attributes: span.attributes,
    events: span.events.map((e) => ({ name: e.name, attributes: e.attributes })),
    links: span.links.map((l) => l.attributes),
    status: span.status,
    resource: span.resource.attributes,
  });
}
