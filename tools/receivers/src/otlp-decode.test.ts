import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { type OtlpReceiver, startOtlpReceiver } from "./otlp.js";
import {
  decodeTraceRequest,
  exportTraceServiceRequestType,
  flattenSpans,
  OtlpDecodeError,
  otlpEncodingOf,
} from "./otlp-decode.js";

const TRACE_ID = "0123456789abcdef0123456789abcdef";
const SPAN_ID = "0011223344556677";
const PARENT_ID = "8899aabbccddeeff";

/** The OTLP JSON form of a one-span request (hex ids, integer enums, int64 as strings). */
const jsonRequest = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: "service.name", value: { stringValue: "pipelex" } }] },
      scopeSpans: [
        {
          scope: { name: "@pipelex/telemetry-core", version: "0.1.0" },
          spans: [
            {
              traceId: TRACE_ID,
              spanId: SPAN_ID,
              parentSpanId: PARENT_ID,
              name: "summarize: job-1 (gpt-4o) -> text",
              kind: 3,
              startTimeUnixNano: "1700000000000000000",
              endTimeUnixNano: "1700000000500000000",
              attributes: [
                { key: "gen_ai.usage.input_tokens", value: { intValue: "42" } },
                { key: "gen_ai.request.temperature", value: { doubleValue: 0.2 } },
                { key: "ok", value: { boolValue: false } },
                { key: "list", value: { arrayValue: { values: [{ stringValue: "a" }, { intValue: 1 }] } } },
              ],
              events: [
                {
                  name: "exception",
                  timeUnixNano: "1700000000400000000",
                  attributes: [{ key: "exception.type", value: { stringValue: "Boom" } }],
                },
              ],
              status: { code: 2, message: "boom" },
            },
          ],
        },
      ],
    },
  ],
};

describe("decodeTraceRequest", () => {
  it("decodes the OTLP JSON mapping and the binary protobuf of the same request to the same spans", () => {
    const fromJson = flattenSpans(decodeTraceRequest(Buffer.from(JSON.stringify(jsonRequest)), "json"));
    const type = exportTraceServiceRequestType();
    // Build the binary form from the JSON one (ids converted to bytes) with the official definitions.
    const decodedJson = decodeTraceRequest(Buffer.from(JSON.stringify(jsonRequest)), "json");
    const binary = type.encode(type.fromObject(decodedJson)).finish();
    const fromProto = flattenSpans(decodeTraceRequest(binary, "protobuf"));
    expect(fromProto).toEqual(fromJson);
    expect(fromJson).toHaveLength(1);
    const span = fromJson[0]!;
    expect(span).toMatchObject({
      name: "summarize: job-1 (gpt-4o) -> text",
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      parentSpanId: PARENT_ID,
      kindName: "CLIENT",
      startTimeUnixNano: 1700000000000000000n,
      status: { code: 2, codeName: "ERROR", message: "boom" },
      resource: { "service.name": "pipelex" },
      scope: { name: "@pipelex/telemetry-core", version: "0.1.0" },
    });
    expect(span.attributes).toEqual({
      "gen_ai.usage.input_tokens": 42,
      "gen_ai.request.temperature": 0.2,
      ok: false,
      list: ["a", 1],
    });
    expect(span.events).toEqual([
      { name: "exception", timeUnixNano: 1700000000400000000n, attributes: { "exception.type": "Boom" } },
    ]);
  });

  it("rejects bodies a collector would reject", () => {
    // Field 1, length-delimited, announcing 255 bytes that are not there.
    expect(() => decodeTraceRequest(Uint8Array.from([0x0a, 0xff, 0x01]), "protobuf")).toThrow(
      OtlpDecodeError,
    );
    expect(() => decodeTraceRequest(Buffer.from("{not json"), "json")).toThrow(OtlpDecodeError);
    expect(() => decodeTraceRequest(Buffer.from("42"), "json")).toThrow(OtlpDecodeError);
    expect(() => decodeTraceRequest(Buffer.from(JSON.stringify({ resourceSpans: {} })), "json")).toThrow(
      OtlpDecodeError,
    );
    const badId = structuredClone(jsonRequest);
    badId.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.traceId = "not-hex";
    expect(() => decodeTraceRequest(Buffer.from(JSON.stringify(badId)), "json")).toThrow(/hex/);
  });

  it("maps media types like a collector", () => {
    expect(otlpEncodingOf("application/x-protobuf")).toBe("protobuf");
    expect(otlpEncodingOf("application/json; charset=utf-8")).toBe("json");
    expect(otlpEncodingOf("text/plain")).toBeUndefined();
    expect(otlpEncodingOf(undefined)).toBeUndefined();
  });
});

describe("startOtlpReceiver", () => {
  let receiver: OtlpReceiver | undefined;
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  const post = (path: string, body: Uint8Array | string, headers: Record<string, string>) =>
    fetch(`${receiver!.url}${path}`, { method: "POST", body, headers });

  it("answers like a collector: 200 for a decodable export (gzip too), 400/404/415 otherwise", async () => {
    receiver = await startOtlpReceiver();
    const json = JSON.stringify(jsonRequest);
    expect((await post("/v1/traces", json, { "content-type": "application/json" })).status).toBe(200);
    expect(
      (
        await post("/v1/traces", gzipSync(json), {
          "content-type": "application/json",
          "content-encoding": "gzip",
        })
      ).status,
    ).toBe(200);
    expect(
      (await post("/v1/traces", Uint8Array.from([0x0a, 0xff]), { "content-type": "application/x-protobuf" }))
        .status,
    ).toBe(400);
    expect((await post("/v1/logs", json, { "content-type": "application/json" })).status).toBe(404);
    expect((await post("/v1/traces", json, { "content-type": "text/plain" })).status).toBe(415);
    expect(receiver.exports).toHaveLength(2);
    expect(receiver.acceptedSpans().map((s) => s.spanId)).toEqual([SPAN_ID, SPAN_ID]);
    expect(receiver.rejected.map((r) => r.status)).toEqual([400, 404, 415]);
  });

  it("uses queued replies first and counts only 2xx exports as accepted", async () => {
    receiver = await startOtlpReceiver();
    receiver.queueReplies({ status: 503 });
    const json = JSON.stringify(jsonRequest);
    expect((await post("/v1/traces", json, { "content-type": "application/json" })).status).toBe(503);
    expect(receiver.acceptedSpans()).toHaveLength(0);
    expect((await post("/v1/traces", json, { "content-type": "application/json" })).status).toBe(200);
    await expect(receiver.waitForAcceptedSpans(1, { timeoutMs: 1000 })).resolves.toHaveLength(1);
    expect(receiver.exports.map((e) => e.status)).toEqual([503, 200]);
  });
});
