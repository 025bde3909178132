import { runExporterConformance } from "@pipelex/telemetry-core/testing";
import { type GatewayReceiver, startGatewayReceiver } from "@pipelex/test-receivers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as gatewayModule from "../src/index.js";

let receiver: GatewayReceiver;
beforeAll(async () => {
  // The suite counts the process's open handles; the receiver's own server-side keep-alive
  // sockets live in this process too, so it closes each connection after replying. (The
  // stream's client sockets are undici's, idle ones are unref'd and never hold the process.)
  receiver = await startGatewayReceiver({ keepAlive: false });
});
afterAll(() => receiver.close());

describe("plugin conformance", () => {
  it("the default export passes core's exporter conformance suite against the loopback gateway", async () => {
    const report = await runExporterConformance(gatewayModule, {
      options: {
        apiKey: "pgw_conformance_key_0123456789",
        endpoint: receiver.ingestEndpoint,
        projectKey: receiver.projectKey,
      },
      timeoutMs: 5000,
    });
    expect(report.checks.every((c) => c.ok)).toBe(true);
    expect(receiver.events().length).toBeGreaterThan(0);
  }, 30_000);
});
