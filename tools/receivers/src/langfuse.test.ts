import { describe, expect, it } from "vitest";
import {
  LANGFUSE_OTEL_TRACES_PATH,
  langfuseBasicAuth,
  langfuseObservation,
  startLangfuseReceiver,
} from "./langfuse.js";
import type { OtlpSpan } from "./otlp-decode.js";

const body = JSON.stringify({
  resourceSpans: [
    {
      resource: { attributes: [{ key: "service.name", value: { stringValue: "pipelex" } }] },
      scopeSpans: [
        {
          scope: { name: "test" },
          spans: [
            {
              traceId: "0af7651916cd43dd8448eb211c80319c",
              spanId: "b7ad6b7169203331",
              name: "chat gpt-4o",
              kind: 3,
              startTimeUnixNano: "1",
              endTimeUnixNano: "2",
              attributes: [{ key: "gen_ai.request.model", value: { stringValue: "gpt-4o" } }],
              status: { code: 0 },
            },
          ],
        },
      ],
    },
  ],
});

async function post(url: string, authorization?: string) {
  return fetch(`${url}${LANGFUSE_OTEL_TRACES_PATH}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
    body,
  });
}

describe("startLangfuseReceiver", () => {
  it("accepts exactly Basic base64(publicKey:secretKey) and answers 401 otherwise", async () => {
    const receiver = await startLangfuseReceiver({ publicKey: "pk-lf-a", secretKey: "sk-lf-b" });
    try {
      expect(langfuseBasicAuth("pk-lf-a", "sk-lf-b")).toBe(`Basic ${btoa("pk-lf-a:sk-lf-b")}`);
      expect((await post(receiver.url, langfuseBasicAuth("pk-lf-a", "sk-lf-b"))).status).toBe(200);
      expect((await post(receiver.url, langfuseBasicAuth("pk-lf-a", "sk-lf-WRONG"))).status).toBe(401);
      expect((await post(receiver.url, `Bearer sk-lf-b`)).status).toBe(401);
      expect((await post(receiver.url)).status).toBe(401);
      expect((await fetch(`${receiver.url}/v1/traces`, { method: "POST", body })).status).toBe(404);
      expect(receiver.unauthorized()).toHaveLength(3);
      expect(receiver.acceptedSpans().map((s) => s.name)).toEqual(["chat gpt-4o"]);
    } finally {
      await receiver.close();
    }
  });
});

function span(
  attributes: OtlpSpan["attributes"],
  status: OtlpSpan["status"] = { code: 0, codeName: "UNSET", message: undefined },
): OtlpSpan {
  return {
    name: "s",
    traceId: "t",
    spanId: "s1",
    parentSpanId: "p1",
    kind: 1,
    kindName: "INTERNAL",
    startTimeUnixNano: 0n,
    endTimeUnixNano: 1n,
    attributes,
    events: [],
    links: [],
    status,
    resource: {},
    scope: { name: "x", version: undefined },
  };
}

describe("langfuseObservation", () => {
  it("maps GenAI attributes to a generation, and explicit types win", () => {
    const generation = langfuseObservation(
      span({
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": "gpt-4o",
        "gen_ai.response.model": "gpt-4o-2024-08-06",
        "gen_ai.request.temperature": 0.2,
        "gen_ai.usage.input_tokens": 3,
        "gen_ai.input.messages": '[{"role":"user","content":"hi"}]',
        "langfuse.trace.name": "t1",
        "user.id": "u1",
      }),
    );
    expect(generation).toMatchObject({
      type: "generation",
      model: "gpt-4o-2024-08-06",
      modelParameters: { temperature: 0.2 },
      usage: { input: 3, output: undefined },
      input: [{ role: "user", content: "hi" }],
      parentObservationId: "p1",
      trace: { name: "t1", userId: "u1", environment: "default" },
    });
    expect(
      langfuseObservation(span({ "gen_ai.request.model": "m", "langfuse.observation.type": "span" })).type,
    ).toBe("span");
    expect(langfuseObservation(span({ "pipelex.pipe.code": "x" })).type).toBe("span");
    expect(langfuseObservation(span({}, { code: 2, codeName: "ERROR", message: "boom" }))).toMatchObject({
      level: "ERROR",
      statusMessage: "boom",
    });
  });
});
