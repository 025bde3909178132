import { createTelemetry, GatewayDoNotTrackConflictError } from "@pipelex/telemetry-core";
import { runSampleWorkflow, SAMPLE_CONTENT } from "@pipelex/telemetry-core/testing";
import { type GatewayReceiver, startGatewayReceiver } from "@pipelex/test-receivers";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatewayStream } from "../src/index.js";
import { sha16, wireText } from "./support.js";

let receiver: GatewayReceiver;
beforeAll(async () => {
  receiver = await startGatewayReceiver();
});
afterAll(() => receiver.close());

describe("the distinct id and the key", () => {
  it("distinct_id is the first 16 hex of SHA-256(key); the key is nowhere on the wire (config fetch and ingest)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 6, maxLength: 80, unit: "grapheme" }), async (suffix) => {
        const apiKey = `pgw_${suffix}`;
        const first = receiver.requests.length;
        const firstEvent = receiver.events().length;
        const stream = gatewayStream({ apiKey, remoteConfigUrl: receiver.remoteConfigUrl, env: {} });
        const telemetry = createTelemetry({ env: {}, destinations: [stream] });
        await telemetry.ready();
        await runSampleWorkflow(telemetry);
        await telemetry.shutdown({ timeoutMs: 2000 });
        const requests = receiver.requests.slice(first);
        expect(requests.some((r) => r.path === "/pipelex_remote_config.json")).toBe(true);
        expect(requests.some((r) => r.path === "/batch/")).toBe(true);
        const wire = wireText(requests);
        expect(wire.includes(apiKey)).toBe(false);
        expect(wire.includes(JSON.stringify(apiKey).slice(1, -1))).toBe(false);
        const events = receiver.events().slice(firstEvent);
        expect(events.length).toBe(3); // one pipe, two inferences
        for (const event of events) expect(event.distinct_id).toBe(sha16(apiKey));
        // The sample's prompt, completion, error text, pipe code and class name stay home too.
        for (const secret of Object.values(SAMPLE_CONTENT)) expect(wire.includes(secret)).toBe(false);
      }),
      { numRuns: 25 },
    );
  }, 30_000);

  it("reads the key from PIPELEX_GATEWAY_API_KEY", async () => {
    const apiKey = "pgw_from_env_0123456789";
    const firstEvent = receiver.events().length;
    const stream = gatewayStream({
      env: { PIPELEX_GATEWAY_API_KEY: apiKey, PIPELEX_REMOTE_CONFIG_URL: receiver.remoteConfigUrl },
    });
    const telemetry = createTelemetry({ env: {}, destinations: [stream] });
    await stream.ready();
    await runSampleWorkflow(telemetry);
    await telemetry.shutdown();
    expect(receiver.events().slice(firstEvent)[0]?.distinct_id).toBe(sha16(apiKey));
  });
});

describe("DO_NOT_TRACK", () => {
  it("creating the stream throws GatewayDoNotTrackConflictError and makes no request", async () => {
    const before = receiver.requests.length;
    expect(() =>
      gatewayStream({
        apiKey: "pgw_dnt",
        remoteConfigUrl: receiver.remoteConfigUrl,
        env: { DO_NOT_TRACK: "1" },
      }),
    ).toThrow(GatewayDoNotTrackConflictError);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.requests.length).toBe(before);
  });

  it("a telemetry that includes the stream throws GatewayDoNotTrackConflictError and makes no request", async () => {
    const before = receiver.requests.length;
    const stream = gatewayStream({ apiKey: "pgw_dnt", remoteConfigUrl: receiver.remoteConfigUrl, env: {} });
    for (const value of ["1", "true", "", "yes"]) {
      expect(() => createTelemetry({ env: { DO_NOT_TRACK: value }, destinations: [stream] })).toThrow(
        GatewayDoNotTrackConflictError,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.requests.length).toBe(before);
    // The stream was never started, so it cannot be used either.
    expect(() => stream.assertActive()).toThrow(/not running/);
  });

  it("DO_NOT_TRACK appearing at run time stops the stream: assertActive throws the conflict and nothing more is sent", async () => {
    const env: Record<string, string | undefined> = {};
    const stream = gatewayStream({
      apiKey: "pgw_runtime_dnt",
      remoteConfigUrl: receiver.remoteConfigUrl,
      env,
    });
    const telemetry = createTelemetry({ env, destinations: [stream] });
    await stream.ready();
    stream.assertActive();
    env.DO_NOT_TRACK = "1";
    expect(() => stream.assertActive()).toThrow(GatewayDoNotTrackConflictError);
    const before = receiver.ingestRequests().length;
    await runSampleWorkflow(telemetry);
    await telemetry.shutdown();
    expect(receiver.ingestRequests().length).toBe(before);
  });
});
