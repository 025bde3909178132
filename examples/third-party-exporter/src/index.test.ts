import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createTelemetry, TelemetryConfigError } from "@pipelex/telemetry-core";
import { runExporterConformance, runSampleWorkflow, SAMPLE_CONTENT } from "@pipelex/telemetry-core/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as pluginModule from "./index.js";
import { webhook } from "./index.js";

const TOKEN = "whk_live_8f3a9c2d7e6b5a41";

/** A loopback webhook that records what it is sent. */
let server: Server;
let endpoint: string;
let received: { authorization: string | undefined; body: { spans: { name: string }[] } }[];
beforeEach(async () => {
  received = [];
  server = createServer(async (req: IncomingMessage, res) => {
    let text = "";
    for await (const chunk of req) text += chunk;
    received.push({ authorization: req.headers.authorization, body: JSON.parse(text) });
    res.writeHead(200).end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/spans`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe("pipelex-telemetry-exporter-example", () => {
  it("passes the exporter conformance suite", async () => {
    const report = await runExporterConformance(pluginModule, {
      options: (receiver) => ({ endpoint: `${receiver.url}/hooks/spans`, authToken: TOKEN }),
      // The import-time check imports the built module in a child process.
      importFrom: new URL("../dist/index.js", import.meta.url),
      timeoutMs: 5000,
      watchMs: 1500,
    });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.requestsReceived).toBeGreaterThan(0);
  });

  it("POSTs each batch as JSON with the bearer token, content dropped by default", async () => {
    const telemetry = createTelemetry({ env: {}, destinations: [webhook({ endpoint, authToken: TOKEN })] });
    await runSampleWorkflow(telemetry);
    await telemetry.shutdown();
    const spans = received.flatMap((r) => r.body.spans.map((s) => s.name)).sort();
    expect(spans).toEqual([
      "PipeLLM: summarize_contract",
      "summarize_contract: job-1 (gpt-4o) -> ContractSummary",
      "summarize_contract: job-2 (gpt-4o-mini) -> text",
    ]);
    expect(received.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(JSON.stringify(received)).not.toContain(SAMPLE_CONTENT.prompt);
    expect(telemetry.stats().webhook?.exported).toBe(3);
  });

  it("includeContent = true sends content too", async () => {
    const telemetry = createTelemetry({
      env: {},
      destinations: [webhook({ endpoint, authToken: TOKEN, includeContent: true })],
    });
    await runSampleWorkflow(telemetry);
    await telemetry.shutdown();
    expect(JSON.stringify(received)).toContain(SAMPLE_CONTENT.prompt);
  });

  it("rejects bad options with one TelemetryConfigError naming every key, never the token", () => {
    let caught: unknown;
    try {
      webhook({ endpoint: "http://hooks.example.com", authToken: "", colour: "red", timeoutMs: 0 } as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TelemetryConfigError);
    expect((caught as TelemetryConfigError).problems.map((p) => p.keyPath).sort()).toEqual([
      "authToken",
      "colour",
      "endpoint",
      "timeoutMs",
    ]);
    expect(() => webhook({ endpoint, authToken: `x ${TOKEN}`, colour: 1 } as never)).toThrow(/colour/);
    try {
      webhook({ endpoint, authToken: TOKEN, colour: 1 } as never);
    } catch (error) {
      expect((error as Error).message).not.toContain(TOKEN);
    }
  });
});
