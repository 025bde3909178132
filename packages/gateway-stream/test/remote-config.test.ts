import { createTelemetry, GatewayTelemetryUnavailableError } from "@pipelex/telemetry-core";
import { runSampleWorkflow } from "@pipelex/telemetry-core/testing";
import { type GatewayReceiver, startGatewayReceiver } from "@pipelex/test-receivers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatewayStream } from "../src/index.js";
import { closedPortUrl } from "./support.js";

const KEY = "pgw_remote_config_key_0123456789";

let receiver: GatewayReceiver;
beforeAll(async () => {
  receiver = await startGatewayReceiver();
});
afterAll(() => receiver.close());

async function startFailure(remoteConfigUrl: string, startTimeoutMs?: number) {
  const stream = gatewayStream({
    apiKey: KEY,
    remoteConfigUrl,
    env: {},
    ...(startTimeoutMs ? { startTimeoutMs } : {}),
  });
  const telemetry = createTelemetry({
    env: {},
    destinations: [stream],
    logger: silent(),
    logLevel: "silent",
  });
  const started = Date.now();
  const error = await stream.ready().then(
    () => undefined,
    (e: unknown) => e,
  );
  const elapsedMs = Date.now() - started;
  return { stream, telemetry, error: error as Error, elapsedMs };
}

function silent() {
  const noop = () => {};
  return { debug: noop, info: noop, warn: noop, error: noop };
}

describe("remote config", () => {
  it("loads endpoint and project key from the remote config, then sends there", async () => {
    const firstEvent = receiver.events().length;
    const stream = gatewayStream({ apiKey: KEY, remoteConfigUrl: receiver.remoteConfigUrl, env: {} });
    const telemetry = createTelemetry({ env: {}, destinations: [stream] });
    expect(() => stream.assertActive()).toThrow(/await stream.ready\(\)/);
    await stream.ready();
    stream.assertActive();
    await runSampleWorkflow(telemetry);
    await telemetry.shutdown();
    expect(receiver.events().length - firstEvent).toBe(3);
    expect(receiver.configRequests().at(-1)?.headers.authorization).toBeUndefined();
  });

  it("uses PIPELEX_REMOTE_CONFIG_URL, and a given endpoint/projectKey wins over the document", async () => {
    const other = await startGatewayReceiver({ projectKey: "phc_other" });
    try {
      const stream = gatewayStream({
        apiKey: KEY,
        projectKey: "phc_other",
        env: { PIPELEX_REMOTE_CONFIG_URL: receiver.remoteConfigUrl },
        endpoint: other.ingestEndpoint,
      });
      const telemetry = createTelemetry({ env: {}, destinations: [stream] });
      await stream.ready();
      await runSampleWorkflow(telemetry);
      await telemetry.shutdown();
      expect(other.events()).toHaveLength(3);
      // Both given: the remote config is not even fetched.
      expect(other.configRequests()).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  it("unreachable (connection refused): GatewayTelemetryUnavailableError at once", async () => {
    const { error, elapsedMs, stream, telemetry } = await startFailure(await closedPortUrl("/config.json"));
    expect(error).toBeInstanceOf(GatewayTelemetryUnavailableError);
    expect(error.message).toMatch(/does not run without its telemetry/);
    expect(error.message).toMatch(/could not be reached/);
    expect(error.message).not.toContain(KEY);
    expect(elapsedMs).toBeLessThan(2000);
    expect(() => stream.assertActive()).toThrow(GatewayTelemetryUnavailableError);
    await expect(telemetry.ready()).rejects.toBeInstanceOf(GatewayTelemetryUnavailableError);
    await telemetry.shutdown({ timeoutMs: 1000 });
  });

  it("a host that never answers: GatewayTelemetryUnavailableError within the start timeout", async () => {
    receiver.queueConfigReplies({ status: 200, body: "{}", delayMs: 10_000 });
    const { error, elapsedMs, telemetry } = await startFailure(receiver.remoteConfigUrl, 300);
    expect(error).toBeInstanceOf(GatewayTelemetryUnavailableError);
    expect(error.message).toMatch(/did not answer within 300 ms/);
    expect(elapsedMs).toBeGreaterThanOrEqual(250);
    expect(elapsedMs).toBeLessThan(1300);
    await telemetry.shutdown({ timeoutMs: 1000 });
  });

  it("the default bound is 5 s", async () => {
    receiver.queueConfigReplies({ status: 200, body: "{}", delayMs: 15_000 });
    const { error, elapsedMs, telemetry } = await startFailure(receiver.remoteConfigUrl);
    expect(error).toBeInstanceOf(GatewayTelemetryUnavailableError);
    expect(elapsedMs).toBeGreaterThanOrEqual(4900);
    expect(elapsedMs).toBeLessThan(6500);
    await telemetry.shutdown({ timeoutMs: 1000 });
  }, 15_000);

  it("HTTP errors, non-JSON, missing keys and unusable endpoints are all unavailable", async () => {
    const cases: { reply: { status: number; body?: string }; message: RegExp }[] = [
      { reply: { status: 500, body: "oops" }, message: /answered HTTP 500/ },
      { reply: { status: 404 }, message: /answered HTTP 404/ },
      { reply: { status: 200, body: "<html>" }, message: /did not answer with JSON/ },
      { reply: { status: 200, body: "{}" }, message: /no "posthog" section/ },
      {
        reply: { status: 200, body: JSON.stringify({ posthog: { endpoint: "https://x.example" } }) },
        message: /project_api_key/,
      },
      {
        reply: { status: 200, body: JSON.stringify({ posthog: { project_api_key: "phc_x" } }) },
        message: /posthog.endpoint/,
      },
      {
        reply: {
          status: 200,
          body: JSON.stringify({
            posthog: { endpoint: "http://plain.example.com", project_api_key: "phc_x" },
          }),
        },
        message: /unusable "posthog.endpoint"/,
      },
    ];
    for (const { reply, message } of cases) {
      receiver.queueConfigReplies(reply);
      const { error, telemetry } = await startFailure(receiver.remoteConfigUrl);
      expect(error, String(message)).toBeInstanceOf(GatewayTelemetryUnavailableError);
      expect(error.message).toMatch(message);
      await telemetry.shutdown({ timeoutMs: 500 });
    }
  });

  it("a redirect is not followed, even to a usable URL: the stream does not start", async () => {
    // The document says where the gateway's telemetry goes; a redirect must not choose it. The
    // target here (this receiver's own config, loopback) would be accepted if it were followed.
    const before = receiver.configRequests().length;
    receiver.queueConfigReplies({ status: 302, headers: { location: receiver.remoteConfigUrl } });
    const { error, telemetry } = await startFailure(receiver.remoteConfigUrl);
    expect(error).toBeInstanceOf(GatewayTelemetryUnavailableError);
    expect(error.message).toMatch(/answered with a redirect \(HTTP 302\), which is not followed/);
    expect(receiver.configRequests().length - before).toBe(1);
    await telemetry.shutdown({ timeoutMs: 500 });
  });

  it("spans recorded while start fails are counted as failed exports and never sent", async () => {
    const ingestBefore = receiver.ingestRequests().length;
    const { telemetry } = await startFailure(await closedPortUrl("/config.json"));
    await runSampleWorkflow(telemetry);
    await telemetry.forceFlush();
    const stats = telemetry.stats()["pipelex-gateway"]!;
    expect(stats.exported).toBe(0);
    expect(stats.dropped.exportFailed).toBe(3);
    await telemetry.shutdown({ timeoutMs: 500 });
    expect(receiver.ingestRequests().length).toBe(ingestBefore);
  });

  it("spans recorded before start finishes wait for it, then go out", async () => {
    receiver.queueConfigReplies({
      status: 200,
      delayMs: 300,
      body: JSON.stringify({
        posthog: { endpoint: receiver.ingestEndpoint, project_api_key: receiver.projectKey },
      }),
    });
    const firstEvent = receiver.events().length;
    const stream = gatewayStream({ apiKey: KEY, remoteConfigUrl: receiver.remoteConfigUrl, env: {} });
    const telemetry = createTelemetry({ env: {}, destinations: [stream] });
    await runSampleWorkflow(telemetry); // before ready()
    await telemetry.forceFlush();
    expect(receiver.events().length - firstEvent).toBe(3);
    await telemetry.shutdown();
  });
});
