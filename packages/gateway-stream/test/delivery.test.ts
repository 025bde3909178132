import { createTelemetry } from "@pipelex/telemetry-core";
import { runSampleWorkflow } from "@pipelex/telemetry-core/testing";
import { type GatewayReceiver, startGatewayReceiver } from "@pipelex/test-receivers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatewayStream } from "../src/index.js";

const KEY = "pgw_delivery_key_0123456789";
let receiver: GatewayReceiver;
beforeAll(async () => {
  receiver = await startGatewayReceiver();
});
afterAll(() => receiver.close());

async function started() {
  const stream = gatewayStream({ apiKey: KEY, remoteConfigUrl: receiver.remoteConfigUrl, env: {} });
  const telemetry = createTelemetry({ env: {}, destinations: [stream], logLevel: "silent" });
  await stream.ready();
  return telemetry;
}

describe("delivery to the gateway ingest", () => {
  it("retries a 503 with backoff and sends the same events (same uuids) again", async () => {
    const telemetry = await started();
    const firstIngest = receiver.ingestRequests().length;
    const firstEvent = receiver.events().length;
    receiver.queueIngestReplies({ status: 503 });
    await runSampleWorkflow(telemetry);
    await telemetry.forceFlush();
    const attempts = receiver.ingestRequests().slice(firstIngest);
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.receivedAt - attempts[0]!.receivedAt).toBeGreaterThanOrEqual(750); // 1 s ±20 %
    expect(attempts[0]!.body.equals(attempts[1]!.body)).toBe(true);
    expect(receiver.events().length - firstEvent).toBe(3);
    expect(telemetry.stats()["pipelex-gateway"]).toMatchObject({ exported: 3 });
    await telemetry.shutdown();
  });

  it("honours Retry-After on a 429", async () => {
    const telemetry = await started();
    const firstIngest = receiver.ingestRequests().length;
    receiver.queueIngestReplies({ status: 429, headers: { "retry-after": "2" } });
    await runSampleWorkflow(telemetry);
    await telemetry.forceFlush();
    const attempts = receiver.ingestRequests().slice(firstIngest);
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.receivedAt - attempts[0]!.receivedAt).toBeGreaterThanOrEqual(1950);
    await telemetry.shutdown();
  });

  it("does not retry a 400; the batch is counted as failed", async () => {
    const telemetry = await started();
    const firstIngest = receiver.ingestRequests().length;
    receiver.queueIngestReplies({ status: 400, body: '{"type":"validation_error"}' });
    await runSampleWorkflow(telemetry);
    await telemetry.forceFlush();
    expect(receiver.ingestRequests().length - firstIngest).toBe(1);
    expect(telemetry.stats()["pipelex-gateway"]?.dropped.exportFailed).toBe(3);
    await telemetry.shutdown();
  });

  it("sends JSON to {endpoint}/batch/ with the project key, never the gateway key", async () => {
    const telemetry = await started();
    const firstIngest = receiver.ingestRequests().length;
    await runSampleWorkflow(telemetry);
    await telemetry.forceFlush();
    const [request] = receiver.ingestRequests().slice(firstIngest);
    expect(request!.method).toBe("POST");
    expect(request!.path).toBe("/batch/");
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.headers.authorization).toBeUndefined();
    const body = JSON.parse(request!.body.toString()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["api_key", "batch"]);
    expect(body.api_key).toBe(receiver.projectKey);
    await telemetry.shutdown();
  });
});
