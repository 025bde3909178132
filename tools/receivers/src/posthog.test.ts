import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import {
  PosthogBatchError,
  type PosthogReceiver,
  parsePosthogBatch,
  startPosthogReceiver,
} from "./posthog.js";

const event = (overrides: Record<string, unknown> = {}) => ({
  event: "$ai_generation",
  distinct_id: "anon-1",
  properties: { $ai_model: "gpt-4o" },
  timestamp: "2026-01-02T03:04:05.678Z",
  uuid: "01890f6e-7b2a-7cc1-8a3e-0123456789ab",
  ...overrides,
});

describe("parsePosthogBatch", () => {
  it("returns the events, the key and sent_at", () => {
    const parsed = parsePosthogBatch(
      Buffer.from(
        JSON.stringify({
          api_key: "k",
          batch: [event({ type: "capture" })],
          sent_at: "2026-01-02T03:04:05Z",
        }),
      ),
    );
    expect(parsed.apiKey).toBe("k");
    expect(parsed.sentAt).toBe("2026-01-02T03:04:05Z");
    expect(parsed.events).toHaveLength(1);
    expect(parsed.events[0]).toMatchObject({
      event: "$ai_generation",
      distinct_id: "anon-1",
      properties: { $ai_model: "gpt-4o" },
      extra: { type: "capture" },
    });
  });

  it.each([
    ["not JSON", "{"],
    ["not an object", "[]"],
    ["no batch", JSON.stringify({ api_key: "k" })],
    ["empty batch", JSON.stringify({ api_key: "k", batch: [] })],
    ["empty event name", JSON.stringify({ api_key: "k", batch: [event({ event: "" })] })],
    ["numeric distinct id", JSON.stringify({ api_key: "k", batch: [event({ distinct_id: 7 })] })],
    ["blank distinct id", JSON.stringify({ api_key: "k", batch: [event({ distinct_id: "  " })] })],
    ["array properties", JSON.stringify({ api_key: "k", batch: [event({ properties: [] })] })],
    ["missing properties", JSON.stringify({ api_key: "k", batch: [event({ properties: undefined })] })],
    ["bad timestamp", JSON.stringify({ api_key: "k", batch: [event({ timestamp: "yesterday" })] })],
    ["bad uuid", JSON.stringify({ api_key: "k", batch: [event({ uuid: "not-a-uuid" })] })],
  ])("rejects %s", (_label, body) => {
    expect(() => parsePosthogBatch(Buffer.from(body))).toThrow(PosthogBatchError);
  });
});

describe("startPosthogReceiver", () => {
  let receiver: PosthogReceiver | undefined;
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  const post = (url: string, payload: unknown, { gzip = true, path = "/batch/" } = {}) => {
    const json = JSON.stringify(payload);
    return fetch(`${url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(gzip ? { "content-encoding": "gzip" } : {}) },
      body: gzip ? gzipSync(json) : json,
    });
  };

  it("accepts a gzipped batch with the right key and exposes the events and the decompressed body", async () => {
    receiver = await startPosthogReceiver({ projectKey: "phc_right" });
    expect(receiver.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await post(receiver.url, {
      api_key: "phc_right",
      batch: [event(), event({ event: "$ai_span" })],
    });
    expect(response.status).toBe(200);
    expect(receiver.events.map((e) => e.event)).toEqual(["$ai_generation", "$ai_span"]);
    expect(receiver.bodies[0]?.toString()).toContain('"$ai_span"');
  });

  it("answers 401 to a wrong key without echoing it, and 400 to a malformed body", async () => {
    receiver = await startPosthogReceiver({ projectKey: "phc_right" });
    const wrong = await post(receiver.url, { api_key: "phc_wrong_secret", batch: [event()] });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain("phc_wrong_secret");
    const bad = await post(
      receiver.url,
      { api_key: "phc_right", batch: [event({ distinct_id: "" })] },
      { gzip: false },
    );
    expect(bad.status).toBe(400);
    expect(receiver.events).toHaveLength(0);
    expect(receiver.exchanges.map((x) => x.status)).toEqual([401, 400]);
  });

  it("plays scripted replies first, then recovers", async () => {
    receiver = await startPosthogReceiver();
    receiver.queueReplies({ status: 500 });
    const payload = { api_key: receiver.projectKey, batch: [event()] };
    expect((await post(receiver.url, payload)).status).toBe(500);
    expect(receiver.events).toHaveLength(0);
    expect((await post(receiver.url, payload)).status).toBe(200);
    await expect(receiver.waitForEvents(1, { timeoutMs: 1000 })).resolves.toHaveLength(1);
  });

  it("answers 413 above the decompressed size limit", async () => {
    receiver = await startPosthogReceiver({ maxBodyBytes: 400 });
    const big = { api_key: receiver.projectKey, batch: [event({ properties: { pad: "x".repeat(1000) } })] };
    expect((await post(receiver.url, big)).status).toBe(413);
    receiver.setMaxBodyBytes(undefined);
    expect((await post(receiver.url, big)).status).toBe(200);
  });

  it("answers 404 for other paths", async () => {
    receiver = await startPosthogReceiver();
    expect(
      (await post(receiver.url, { api_key: receiver.projectKey, batch: [event()] }, { path: "/capture/" }))
        .status,
    ).toBe(404);
  });
});
