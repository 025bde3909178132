import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { concatBytes, yieldToEventLoop } from "@pipelex/telemetry-core/plugin";

/**
 * Spans per protobuf slice: serializing one takes ~1-3 ms, so a 512-span batch never blocks the
 * event loop for more than a few ms at a time (one call for the whole batch takes 8-35 ms).
 */
export const SPANS_PER_SLICE = 32;

/**
 * An OTLP/HTTP request body. Protobuf is serialized in slices of SPANS_PER_SLICE spans with a
 * yield between them, and the slices concatenated: concatenated protobuf messages of the same
 * type decode as one message whose repeated fields (`resource_spans`) are joined, so the
 * collector sees one valid ExportTraceServiceRequest. JSON is serialized in one call.
 */
export async function serializeSpans(
  spans: readonly ReadableSpan[],
  protocol: "http/protobuf" | "http/json",
): Promise<Uint8Array> {
  const serializer = protocol === "http/json" ? JsonTraceSerializer : ProtobufTraceSerializer;
  if (protocol === "http/json" || spans.length <= SPANS_PER_SLICE) {
    return serializer.serializeRequest(spans as ReadableSpan[]) ?? new Uint8Array();
  }
  const parts: Uint8Array[] = [];
  for (let start = 0; start < spans.length; start += SPANS_PER_SLICE) {
    if (start > 0) await yieldToEventLoop();
    parts.push(serializer.serializeRequest(spans.slice(start, start + SPANS_PER_SLICE)) ?? new Uint8Array());
  }
  return concatBytes(parts);
}
