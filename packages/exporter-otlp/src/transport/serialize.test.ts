import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { decodeTraceRequest, flattenSpans } from "@pipelex/test-receivers";
import { describe, expect, it } from "vitest";
import { SPANS_PER_SLICE, serializeSpans } from "./serialize.js";

function spans(count: number) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer("t");
  for (let i = 0; i < count; i++) tracer.startSpan(`span-${i}`, { attributes: { i } }).end();
  return exporter.getFinishedSpans();
}

describe("serializeSpans", () => {
  it("protobuf slices decode as one request holding every span, in order", async () => {
    const batch = spans(SPANS_PER_SLICE * 3 + 5);
    const body = await serializeSpans(batch, "http/protobuf");
    const decoded = flattenSpans(decodeTraceRequest(Buffer.from(body), "protobuf"));
    expect(decoded.map((s) => s.name)).toEqual(batch.map((s) => s.name));
  });

  it("yields to the event loop between slices", async () => {
    const batch = spans(SPANS_PER_SLICE * 8);
    let turns = 0;
    let done = false;
    const turn = () => {
      turns++;
      if (!done) setImmediate(turn);
    };
    setImmediate(turn);
    await serializeSpans(batch, "http/protobuf");
    done = true;
    // Eight slices, seven yields: the host's callbacks ran in between.
    expect(turns).toBeGreaterThanOrEqual(5);
  });
});
