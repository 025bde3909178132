/**
 * Event UUIDs derived from trace and span ids, so a retried event, or a trace-start event sent
 * again, carries the same UUID and PostHog deduplicates it. Version nibble 8 (RFC 9562
 * "custom"), variant 10.
 */
export function eventUuid(hex32: string): string {
  const hex = hex32.toLowerCase().padEnd(32, "0").slice(0, 32);
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function spanEventUuid(traceId: string, spanId: string): string {
  return eventUuid(traceId.slice(0, 16) + spanId);
}

export function traceStartUuid(traceId: string): string {
  // The trace id's halves swapped: a span event of the same trace starts with the first half.
  return eventUuid(`${traceId.slice(16)}${traceId.slice(0, 16)}`);
}

/** A random id for anonymous mode (no person profile is created for it). */
export function randomDistinctId(): string {
  return globalThis.crypto.randomUUID();
}
