import {
  createTelemetry,
  GatewayDoNotTrackConflictError,
  GatewayTelemetryUnavailableError,
} from "@pipelex/telemetry-core";
import { runSampleWorkflow } from "@pipelex/telemetry-core/testing";
import { type GatewayReceiver, startGatewayReceiver } from "@pipelex/test-receivers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatewayKillSwitchError, gatewayStream } from "../src/index.js";

const KEY = "pgw_lifecycle_key_0123456789";
let receiver: GatewayReceiver;
beforeAll(async () => {
  receiver = await startGatewayReceiver();
});
afterAll(() => receiver.close());

function running() {
  const stream = gatewayStream({ apiKey: KEY, remoteConfigUrl: receiver.remoteConfigUrl, env: {} });
  const telemetry = createTelemetry({ env: {}, destinations: [stream] });
  return { stream, telemetry };
}

describe("assertActive()", () => {
  it("throws before the stream is in a telemetry, while it starts, and passes once ready", async () => {
    const stream = gatewayStream({ apiKey: KEY, remoteConfigUrl: receiver.remoteConfigUrl, env: {} });
    expect(() => stream.assertActive()).toThrow(GatewayTelemetryUnavailableError);
    await expect(stream.ready()).rejects.toBeInstanceOf(GatewayTelemetryUnavailableError);
    const telemetry = createTelemetry({ env: {}, destinations: [stream] });
    expect(() => stream.assertActive()).toThrow(/still starting.*await stream\.ready\(\)/);
    await stream.ready();
    expect(() => stream.assertActive()).not.toThrow();
    await telemetry.shutdown();
  });

  it("throws after shutdown(), and ready() rejects", async () => {
    const { stream, telemetry } = running();
    await stream.ready();
    stream.assertActive();
    await runSampleWorkflow(telemetry);
    await telemetry.shutdown();
    expect(() => stream.assertActive()).toThrow(GatewayTelemetryUnavailableError);
    expect(() => stream.assertActive()).toThrow(/shut down/);
    await expect(stream.ready()).rejects.toBeInstanceOf(GatewayTelemetryUnavailableError);
  });

  it("throws after telemetry.disable() (the kill switch), as a DO_NOT_TRACK conflict that says what happened", async () => {
    const { stream, telemetry } = running();
    await stream.ready();
    stream.assertActive();
    telemetry.disable();
    let error: unknown;
    try {
      stream.assertActive();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GatewayDoNotTrackConflictError);
    expect(error).toBeInstanceOf(GatewayKillSwitchError);
    expect((error as Error).message).toMatch(/switched off at run time/);
    const before = receiver.ingestRequests().length;
    await runSampleWorkflow(telemetry);
    await telemetry.shutdown();
    expect(receiver.ingestRequests().length).toBe(before);
  });

  it("a stream reused in a new telemetry after shutdown runs again (one session per telemetry)", async () => {
    const { stream, telemetry } = running();
    await stream.ready();
    await telemetry.shutdown();
    expect(() => stream.assertActive()).toThrow();
    const again = createTelemetry({ env: {}, destinations: [stream] });
    await stream.ready();
    expect(() => stream.assertActive()).not.toThrow();
    await again.shutdown();
  });

  it("queued spans are delivered by shutdown, then nothing more", async () => {
    const { stream, telemetry } = running();
    await stream.ready();
    const firstEvent = receiver.events().length;
    await runSampleWorkflow(telemetry);
    const report = await telemetry.shutdown({ timeoutMs: 3000 });
    expect(report.complete).toBe(true);
    expect(report.destinations["pipelex-gateway"]).toMatchObject({ exported: 3, notDelivered: 0 });
    expect(receiver.events().length - firstEvent).toBe(3);
  });
});
