import type { AddressInfo } from "node:net";
import { inMemoryDestination } from "@pipelex/telemetry-core/testing";
import { startOtlpReceiver, startPosthogReceiver } from "@pipelex/test-receivers";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "./app.js";
import { STUB_CONTEXT_CHARS, startOpenAiStub } from "./openai-stub.js";
import { appTelemetry } from "./telemetry.js";

const TEXT = "The supplier contract for jane.doe@example.com renews every year unless cancelled in writing.";
const POSTHOG_KEY = "phc_example0app0key0001";

describe("the example app: an HTTP route calling the LLM through the openai client", () => {
  let stub: Awaited<ReturnType<typeof startOpenAiStub>>;
  let otlpReceiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let posthogReceiver: Awaited<ReturnType<typeof startPosthogReceiver>>;
  let memory: ReturnType<typeof inMemoryDestination>;
  let base: string;
  let responses: { status: number; body: Record<string, unknown> }[];

  const post = async (text: string) => {
    const res = await fetch(`${base}/summarize`, { method: "POST", body: JSON.stringify({ text }) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    stub = await startOpenAiStub("sk-test-stub-key");
    otlpReceiver = await startOtlpReceiver();
    posthogReceiver = await startPosthogReceiver({ projectKey: POSTHOG_KEY });
    memory = inMemoryDestination("memory");
    const telemetry = appTelemetry(
      {
        OTLP_ENDPOINT: otlpReceiver.tracesUrl,
        POSTHOG_ENDPOINT: posthogReceiver.url,
        POSTHOG_API_KEY: POSTHOG_KEY,
      },
      [memory.destination],
    );
    const openai = new OpenAI({ apiKey: "sk-test-stub-key", baseURL: stub.baseURL, maxRetries: 0 });
    const server = createApp({ telemetry, openai });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    responses = [await post(TEXT), await post("x ".repeat(STUB_CONTEXT_CHARS))];
    await telemetry.shutdown({ timeoutMs: 5000 });
    await new Promise((resolve) => server.close(resolve));
  });
  afterAll(async () => {
    await Promise.all([stub.close(), otlpReceiver.close(), posthogReceiver.close()]);
  });

  it("answers the route with the LLM's completion, and 502 with the provider's code when it fails", () => {
    expect(responses[0]).toEqual({ status: 200, body: { summary: expect.stringMatching(/^Summary: /) } });
    expect(responses[1]).toEqual({
      status: 502,
      body: { error: "the LLM call failed", status: 400, code: "context_length_exceeded" },
    });
    expect(stub.requests.map((r) => r.model)).toEqual(["gpt-4o-mini", "gpt-4o-mini"]);
  });

  it("records one pipe span holding one LLM span per request, with model, usage and outcome", () => {
    const views = memory.views();
    const pipes = views.filter((v) => v.category === "pipe");
    const calls = views.filter((v) => v.category === "inference");
    expect(pipes).toHaveLength(2);
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(pipes.map((p) => p.spanId)).toContain(call.parentSpanId);
    }
    const [ok, failed] = calls;
    expect(ok).toMatchObject({ outcome: "success", genAi: { responseModel: "gpt-4o-mini-2024-08-06" } });
    expect(ok?.usage?.inputTokens).toBeGreaterThan(0);
    expect(failed).toMatchObject({ outcome: "failure" });
  });

  it("exports to the OTLP collector with the prompt, and to PostHog without it", () => {
    const otlpText = JSON.stringify(otlpReceiver.acceptedSpans(), (_k, v) =>
      typeof v === "bigint" ? String(v) : v,
    );
    expect(otlpReceiver.acceptedSpans()).toHaveLength(4);
    // The prompt (the system message is only in the input) and the completion.
    expect(otlpText).toContain("Summarize the user's text in one sentence.");
    expect(otlpText).toContain("Summary: ");
    expect(posthogReceiver.events.filter((e) => e.event === "$ai_generation")).toHaveLength(2);
    expect(posthogReceiver.bodies.map(String).join("\n")).not.toContain("jane.doe");
  });
});
