import { LangfuseSpanProcessor } from "@langfuse/otel";
import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { createTelemetry } from "@pipelex/telemetry-core";
import { inMemoryDestination, runSampleWorkflow } from "@pipelex/telemetry-core/testing";
import { type HttpReceiver, startHttpReceiver } from "@pipelex/test-receivers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { LangfuseExporter } from "../src/exporter.js";
import { toLangfuseSpan } from "../src/mapping.js";

let spans: ReadableSpan[];
let receiver: HttpReceiver | undefined;
let exporter: LangfuseExporter | undefined;

beforeAll(async () => {
  const memory = inMemoryDestination("sample");
  const telemetry = createTelemetry({ env: {}, destinations: [memory.destination] });
  await runSampleWorkflow(telemetry);
  await telemetry.shutdown({ timeoutMs: 1000 });
  spans = memory.spans();
});

afterEach(async () => {
  await exporter?.shutdown();
  await receiver?.close();
  exporter = undefined;
  receiver = undefined;
});

function newExporter(url: string, extra: Partial<ConstructorParameters<typeof LangfuseExporter>[0]> = {}) {
  exporter = new LangfuseExporter({
    connection: { baseUrl: url, publicKey: "pk-lf-test", secretKey: "sk-lf-test" },
    trace: {},
    ...extra,
  });
  return exporter;
}

function exportNow(target: LangfuseExporter, batch: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => target.export(batch, resolve));
}

/** JSON OTLP span names in one request body. */
function spanNames(body: Buffer): string[] {
  const parsed = JSON.parse(body.toString()) as {
    resourceSpans: { scopeSpans: { spans: { name: string }[] }[] }[];
  };
  return parsed.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((span) => span.name)));
}

describe("LangfuseExporter", () => {
  it("reports SUCCESS only once Langfuse has answered", async () => {
    receiver = await startHttpReceiver();
    receiver.queueReplies({ status: 200, body: "{}", delayMs: 300 });
    const started = Date.now();
    const result = await exportNow(newExporter(receiver.url), spans);
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(receiver.requests).toHaveLength(1);
    expect(spanNames(receiver.requests[0]!.body).sort()).toEqual(spans.map((s) => s.name).sort());
  });

  it("reports FAILED with the HTTP status when Langfuse refuses, without retrying a 401", async () => {
    receiver = await startHttpReceiver({
      reply: () => ({ status: 401, body: '{"message":"Invalid credentials"}' }),
    });
    const result = await exportNow(newExporter(receiver.url), spans);
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toMatch(/HTTP 401/);
    expect(receiver.requests).toHaveLength(1);
  });

  it("serializes concurrent exports: each call reports on its own spans only", async () => {
    receiver = await startHttpReceiver();
    receiver.queueReplies({ status: 400, delayMs: 100 }, { status: 200 });
    const target = newExporter(receiver.url);
    const [first, second] = await Promise.all([
      exportNow(target, spans.slice(0, 1)),
      exportNow(target, spans.slice(1)),
    ]);
    expect(first.code).toBe(ExportResultCode.FAILED);
    expect(second.code).toBe(ExportResultCode.SUCCESS);
    expect(receiver.requests.map((r) => spanNames(r.body))).toEqual([
      [spans[0]!.name],
      spans.slice(1).map((s) => s.name),
    ]);
  });

  it("splits a batch into requests of spansPerRequest spans", async () => {
    receiver = await startHttpReceiver();
    const result = await exportNow(newExporter(receiver.url, { spansPerRequest: 2 }), spans);
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(receiver.requests.map((r) => spanNames(r.body).length)).toEqual([2, 1]);
  });

  it("sends nothing after shutdown or once the kill switch is engaged", async () => {
    receiver = await startHttpReceiver();
    let engaged = false;
    const killSwitch = { isEngaged: () => engaged, onEngage: () => () => {} };
    const target = newExporter(receiver.url, { killSwitch });
    engaged = true;
    expect((await exportNow(target, spans)).code).toBe(ExportResultCode.FAILED);
    engaged = false;
    await target.shutdown();
    expect((await exportNow(target, spans)).code).toBe(ExportResultCode.FAILED);
    expect(receiver.requests).toHaveLength(0);
  });

  it("stops handing spans over once core aborts the shutdown signal", async () => {
    receiver = await startHttpReceiver();
    const abort = new AbortController();
    const target = newExporter(receiver.url, { shutdownSignal: abort.signal });
    abort.abort();
    expect((await exportNow(target, spans)).code).toBe(ExportResultCode.FAILED);
    expect(receiver.requests).toHaveLength(0);
  });

  it("aborts the request in flight and refuses retries once core aborts the shutdown signal", async () => {
    receiver = await startHttpReceiver();
    receiver.queueReplies({ status: 503, delayMs: 5000 });
    const abort = new AbortController();
    const target = newExporter(receiver.url, { shutdownSignal: abort.signal });
    const pending = exportNow(target, spans);
    await receiver.waitForRequests(1, { timeoutMs: 2000 });
    const abortedAt = performance.now();
    abort.abort();
    const result = await pending;
    expect(performance.now() - abortedAt).toBeLessThan(500);
    expect(result.code).toBe(ExportResultCode.FAILED);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.requests).toHaveLength(1);
  });

  it("sends the same URL and Langfuse headers as the SDK's own default transport", async () => {
    receiver = await startHttpReceiver();
    const sdkDefault = new LangfuseSpanProcessor({
      publicKey: "pk-lf-test",
      secretKey: "sk-lf-test",
      baseUrl: receiver.url,
      shouldExportSpan: () => true,
      mediaUploadEnabled: false,
    });
    sdkDefault.onEnd(toLangfuseSpan(spans[0]!, {}));
    await sdkDefault.forceFlush();
    await sdkDefault.shutdown();
    await exportNow(newExporter(receiver.url), spans.slice(0, 1));
    const [theirs, ours] = receiver.requests;
    // What Langfuse reads: auth, content type and its SDK headers (fetch adds its own accept/user-agent).
    const relevant = (headers: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(headers).filter(
          ([k]) => k === "authorization" || k === "content-type" || k.startsWith("x-langfuse-"),
        ),
      );
    expect(ours!.path).toBe(theirs!.path);
    expect(ours!.path).toBe("/api/public/otel/v1/traces");
    expect(relevant(ours!.headers)).toEqual(relevant(theirs!.headers));
    expect(JSON.parse(ours!.body.toString())).toEqual(JSON.parse(theirs!.body.toString()));
  });

  it("retries 503 honouring Retry-After, then reports SUCCESS", async () => {
    receiver = await startHttpReceiver();
    receiver.queueReplies({ status: 503, headers: { "retry-after": "0" } }, { status: 200, body: "{}" });
    const result = await exportNow(newExporter(receiver.url), spans);
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(receiver.requests).toHaveLength(2);
  });

  it("survives a result callback that throws", async () => {
    receiver = await startHttpReceiver();
    const target = newExporter(receiver.url);
    target.export(spans, () => {
      throw new Error("callback bug");
    });
    expect((await exportNow(target, spans)).code).toBe(ExportResultCode.SUCCESS);
    expect(receiver.requests).toHaveLength(2);
  });
});

describe("LangfuseExporter under faults (the delivery toolkit)", () => {
  it("a garbage reply is retried and the batch delivered once Langfuse recovers", async () => {
    const { startFaultReceiver } = await import("@pipelex/test-receivers");
    const faulty = await startFaultReceiver();
    faulty.setFault((i) => (i === 0 ? { kind: "garbage" } : { kind: "ok" }));
    try {
      const result = await exportNow(newExporter(faulty.url), spans);
      expect(result.code).toBe(ExportResultCode.SUCCESS);
      expect(faulty.requests).toHaveLength(2);
      expect(spanNames(faulty.requests[1]!.body).sort()).toEqual(spans.map((s) => s.name).sort());
    } finally {
      await faulty.close();
    }
  });

  it("DO_NOT_TRACK appearing during a retry wait ends the export: nothing more is sent", async () => {
    const { startFaultReceiver } = await import("@pipelex/test-receivers");
    const { RuntimeKillSwitchForTests } = await killSwitchFor();
    const faulty = await startFaultReceiver({ kind: "status", status: 503 });
    const env: Record<string, string | undefined> = {};
    try {
      const target = newExporter(faulty.url, { killSwitch: RuntimeKillSwitchForTests(env) });
      const pending = exportNow(target, spans);
      await new Promise((resolve) => setTimeout(resolve, 200));
      env.DO_NOT_TRACK = "1";
      const startedAt = Date.now();
      const result = await pending;
      expect(Date.now() - startedAt).toBeLessThan(600);
      expect(result.code).toBe(ExportResultCode.FAILED);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(faulty.requests).toHaveLength(1);
    } finally {
      await faulty.close();
    }
  });
});

/** A kill switch that reads DO_NOT_TRACK from `env` each time, as core's does. */
async function killSwitchFor() {
  const { isDoNotTrack } = await import("@pipelex/telemetry-core/plugin");
  return {
    RuntimeKillSwitchForTests(env: Record<string, string | undefined>) {
      const listeners = new Set<() => void>();
      let engaged = false;
      const isEngaged = () => {
        if (!engaged && isDoNotTrack(env)) {
          engaged = true;
          for (const l of listeners) l();
        }
        return engaged;
      };
      return {
        isEngaged,
        onEngage(listener: () => void) {
          if (isEngaged()) listener();
          else listeners.add(listener);
          return () => listeners.delete(listener);
        },
      };
    },
  };
}
