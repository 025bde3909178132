import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { createTelemetry } from "@pipelex/telemetry-core";
import {
  createHttpTransport,
  type ExporterContext,
  type KillSwitch,
  MaskingLogger,
} from "@pipelex/telemetry-core/plugin";
import { inMemoryDestination, runSampleWorkflow } from "@pipelex/telemetry-core/testing";
import { describe, expect, it } from "vitest";
import { LedgerClient } from "../src/client.js";
import { PosthogSpanExporter } from "../src/exporter.js";
import { SpanEventMapper } from "../src/mapper.js";
import { parsePosthogOptions, resolveSettings } from "../src/options.js";
import { captureLogs, receiverOptions, withReceiver } from "./helpers.js";

async function sampleSpans(): Promise<ReadableSpan[]> {
  const memory = inMemoryDestination();
  const telemetry = createTelemetry({ env: {}, destinations: [memory.destination] });
  await runSampleWorkflow(telemetry);
  await telemetry.shutdown({ timeoutMs: 1000 });
  return memory.spans();
}

class ManualKillSwitch implements KillSwitch {
  private engaged = false;
  private readonly listeners = new Set<() => void>();
  isEngaged = () => this.engaged;
  onEngage(listener: () => void): () => void {
    if (this.engaged) listener();
    else this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  engage(): void {
    this.engaged = true;
    for (const listener of this.listeners) listener();
  }
}

function contextWith(killSwitch: KillSwitch): ExporterContext {
  const logs = captureLogs();
  return {
    destinationName: "posthog",
    logger: new MaskingLogger(logs, "debug"),
    // The exporter never reads the resource.
    resource: undefined as unknown as ExporterContext["resource"],
    killSwitch,
    defaultRedaction: [],
    env: {},
    // Never aborted here: only the kill switch subscription can stop the exporter.
    shutdownSignal: new AbortController().signal,
  };
}

function ledgerClient(receiver: { projectKey: string; url: string }, maxBatchSize = 100) {
  return new LedgerClient({
    apiKey: receiver.projectKey,
    host: receiver.url,
    maxBatchSize,
    geoip: false,
    fetch: createHttpTransport({ url: receiver.url, timeoutMs: 5000 }).fetch as never,
  });
}

describe("LedgerClient (posthog-node through its public fetch option)", () => {
  it("marks delivered exactly the events PostHog accepted, gzip or not", async () => {
    await withReceiver(async (receiver) => {
      const client = ledgerClient(receiver);
      const drafts = await new SpanEventMapper([]).map(await sampleSpans());
      expect(drafts.length).toBe(4);
      const outcome = await client.send(drafts, "d");
      expect(outcome.failure).toBeUndefined();
      expect([...outcome.delivered].sort()).toEqual(drafts.map((d) => d.uuid).sort());
      expect(receiver.events.map((e) => e.uuid).sort()).toEqual([...outcome.delivered].sort());
      await client.shutdown(1000);
    });
  });

  it("a refused request delivers nothing, names the cause, and leaves nothing queued", async () => {
    await withReceiver(async (receiver) => {
      receiver.queueReplies({ status: 503, headers: { "retry-after": "2" } });
      const client = ledgerClient(receiver);
      const drafts = await new SpanEventMapper([]).map(await sampleSpans());
      const outcome = await client.send(drafts, "d");
      expect(outcome.delivered.size).toBe(0);
      expect(outcome.failure).toMatchObject({ status: 503, retryAfterMs: 2000 });
      expect(outcome.failure?.error.message).toBe(`HTTP 503 (${new URL(receiver.url).host})`);
      expect(client.queuedCount()).toBe(0);
      await client.shutdown(1000);
    });
  });

  it("discard() removes queued events without sending them", async () => {
    await withReceiver(async (receiver) => {
      const client = ledgerClient(receiver);
      for (const uuid of ["01890f6e-7b2a-7cc1-8a3e-0123456789ab", "01890f6e-7b2a-7cc1-8a3e-0123456789ac"])
        client.posthog.capture({ distinctId: "d", event: "$ai_span", properties: {}, uuid });
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(client.queuedCount()).toBe(2);
      client.discard(new Set(["01890f6e-7b2a-7cc1-8a3e-0123456789ab"]));
      expect(client.queuedCount()).toBe(1);
      client.discardAll();
      expect(client.queuedCount()).toBe(0);
      await client.posthog.flush();
      expect(receiver.http.requests).toHaveLength(0);
      await client.shutdown(1000);
    });
  });
});

describe("PosthogSpanExporter and the kill switch", () => {
  it("engaging the switch during a retry wait stops the export at once, drops the queue and sends nothing more", async () => {
    await withReceiver(async (receiver) => {
      receiver.queueReplies({ status: 500 });
      const killSwitch = new ManualKillSwitch();
      const settings = resolveSettings(
        parsePosthogOptions(receiverOptions(receiver, { fetchRetryDelay: 2000 })),
      );
      const exporter = new PosthogSpanExporter(settings, contextWith(killSwitch));
      const spans = await sampleSpans();
      const result = new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
      await receiver.waitForRequests(1);
      // Let the 500 come back: the exporter is now waiting before its retry.
      await new Promise((resolve) => setTimeout(resolve, 150));
      const engagedAt = Date.now();
      killSwitch.engage();
      const answer = await result;
      // Without the subscription the export would sleep on for more than a second.
      expect(Date.now() - engagedAt).toBeLessThan(1000);
      expect(answer.code).toBe(ExportResultCode.FAILED);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(receiver.exchanges).toHaveLength(1);
      const after = await new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
      expect(after.code).toBe(ExportResultCode.FAILED);
      expect(receiver.exchanges).toHaveLength(1);
      await exporter.shutdown();
    });
  });
});
