import {
  ATTR,
  createTelemetry,
  dropContent,
  LangfuseCredentialsError,
  type Telemetry,
  TelemetryConfigError,
} from "@pipelex/telemetry-core";
import { inMemoryDestination, runSampleWorkflow, SAMPLE_CONTENT } from "@pipelex/telemetry-core/testing";
import {
  type LangfuseReceiver,
  langfuseBasicAuth,
  langfuseObservation,
  startHttpReceiver,
  startLangfuseReceiver,
} from "@pipelex/test-receivers";
import { afterEach, describe, expect, it } from "vitest";
import { langfuse } from "../src/index.js";

const PUBLIC_KEY = "pk-lf-1234567890abcdef";
const SECRET_KEY = "sk-lf-fedcba0987654321-topsecret";
const TOKEN = langfuseBasicAuth(PUBLIC_KEY, SECRET_KEY).slice("Basic ".length);

const open: { receivers: { close(): Promise<void> }[]; telemetries: Telemetry[] } = {
  receivers: [],
  telemetries: [],
};

afterEach(async () => {
  await Promise.all(open.telemetries.splice(0).map((t) => t.shutdown({ timeoutMs: 1000 })));
  await Promise.all(open.receivers.splice(0).map((r) => r.close()));
});

async function receiver(): Promise<LangfuseReceiver> {
  const started = await startLangfuseReceiver({ publicKey: PUBLIC_KEY, secretKey: SECRET_KEY });
  open.receivers.push(started);
  return started;
}

function telemetryWith(...args: Parameters<typeof createTelemetry>): Telemetry {
  const telemetry = createTelemetry(...args);
  open.telemetries.push(telemetry);
  return telemetry;
}

function logSink(lines: string[]) {
  const push = (line: string) => lines.push(line);
  return { debug: push, info: push, warn: push, error: push };
}

describe("langfuse() against a Langfuse OTel ingestion stand-in", () => {
  it("delivers a workflow with full data: auth, names, parents, observation types, model, usage, content, trace", async () => {
    const langfuseReceiver = await receiver();
    const telemetry = telemetryWith({
      env: {},
      destinations: [
        langfuse({
          enabled: true,
          endpoint: langfuseReceiver.url,
          publicKey: PUBLIC_KEY,
          secretKey: SECRET_KEY,
          environment: "staging",
          release: "2.0.1",
        }),
      ],
    });
    await runSampleWorkflow(telemetry);
    await telemetry.forceFlush();

    expect(telemetry.stats().langfuse).toMatchObject({ exported: 3, dropped: { exportFailed: 0 } });
    expect(langfuseReceiver.exports).toHaveLength(1);
    const request = langfuseReceiver.exports[0]!;
    expect(request.status).toBe(200);
    expect(request.request.headers.authorization).toBe(`Basic ${TOKEN}`);
    expect(request.request.headers["x-langfuse-public-key"]).toBe(PUBLIC_KEY);
    expect(request.encoding).toBe("json");

    const observations = langfuseReceiver.acceptedSpans().map(langfuseObservation);
    expect(observations).toHaveLength(3);
    const root = observations.find((o) => o.parentObservationId === undefined)!;
    const [ok, failed] = ["job-1", "job-2"].map((job) => observations.find((o) => o.name.includes(job))!);

    expect(root.name).toBe(`PipeLLM: ${SAMPLE_CONTENT.pipeCode}`);
    expect(root.type).toBe("span");
    expect(root.trace.name).toMatch(new RegExp(`^${SAMPLE_CONTENT.pipeCode}_[0-9a-f]{8}$`));
    expect(root.trace.name).toBe(`${SAMPLE_CONTENT.pipeCode}_${root.traceId.slice(0, 8)}`);
    for (const o of observations) {
      expect(o.traceId).toBe(root.traceId);
      expect(o.trace.environment).toBe("staging");
      expect(o.trace.release).toBe("2.0.1");
    }

    expect(ok).toMatchObject({
      name: `${SAMPLE_CONTENT.pipeCode}: job-1 (gpt-4o) -> ${SAMPLE_CONTENT.className}`,
      parentObservationId: root.id,
      type: "generation",
      model: "gpt-4o-2024-08-06",
      modelParameters: { temperature: 0.2, max_tokens: 500 },
      usage: { input: 42, output: 17 },
      input: [{ role: "user", content: SAMPLE_CONTENT.prompt }],
      output: [{ role: "assistant", content: SAMPLE_CONTENT.completion }],
      level: "DEFAULT",
    });
    expect(ok!.modelParameters).not.toHaveProperty("model");
    expect(ok!.trace.name).toBeUndefined();

    expect(failed).toMatchObject({
      parentObservationId: root.id,
      type: "generation",
      model: "gpt-4o-mini",
      input: [{ role: "user", content: SAMPLE_CONTENT.prompt }],
      level: "ERROR",
      statusMessage: SAMPLE_CONTENT.errorMessage,
    });
    const failedSpan = langfuseReceiver.acceptedSpans().find((s) => s.spanId === failed!.id)!;
    expect(failedSpan.attributes[ATTR.ERROR_TYPE]).toBe("SampleProviderError");
    expect(failedSpan.attributes[ATTR.OUTCOME]).toBe("failure");
    expect(failedSpan.events.find((e) => e.name === "exception")?.attributes["exception.message"]).toBe(
      SAMPLE_CONTENT.errorMessage,
    );
    expect(failedSpan.attributes["gen_ai.provider.name"]).toBe("openai");
  });

  it("takes the keys and base URL from LANGFUSE_* in the telemetry environment", async () => {
    const langfuseReceiver = await receiver();
    const telemetry = telemetryWith({
      env: {
        LANGFUSE_PUBLIC_KEY: PUBLIC_KEY,
        LANGFUSE_SECRET_KEY: SECRET_KEY,
        LANGFUSE_BASE_URL: langfuseReceiver.url,
      },
      destinations: [langfuse({ enabled: true })],
    });
    await runSampleWorkflow(telemetry);
    await telemetry.forceFlush();
    expect(langfuseReceiver.acceptedSpans()).toHaveLength(3);
    expect(langfuseReceiver.exports[0]!.request.headers.authorization).toBe(`Basic ${TOKEN}`);
  });

  it("counts a wrong secret (401) as exportFailed, and never logs the secret", async () => {
    const langfuseReceiver = await receiver();
    const lines: string[] = [];
    const wrongSecret = "sk-lf-wrong-secret-0000000000";
    const telemetry = telemetryWith({
      env: {},
      logger: logSink(lines),
      logLevel: "debug",
      destinations: [
        langfuse({
          enabled: true,
          endpoint: langfuseReceiver.url,
          publicKey: PUBLIC_KEY,
          secretKey: wrongSecret,
        }),
      ],
    });
    await runSampleWorkflow(telemetry);
    await telemetry.forceFlush();
    expect(langfuseReceiver.unauthorized()).toHaveLength(1);
    expect(langfuseReceiver.acceptedSpans()).toHaveLength(0);
    expect(telemetry.stats().langfuse).toMatchObject({ exported: 0, dropped: { exportFailed: 3 } });
    expect(lines.join("\n")).toMatch(/HTTP 401/);
    const wrongToken = langfuseBasicAuth(PUBLIC_KEY, wrongSecret).slice("Basic ".length);
    for (const line of lines) {
      expect(line).not.toContain(wrongSecret);
      expect(line).not.toContain(wrongToken);
    }
  });

  it("applies app-code redactors before the spans leave (copy-on-write: other destinations keep content)", async () => {
    const langfuseReceiver = await receiver();
    const memory = inMemoryDestination("memory");
    const telemetry = telemetryWith({
      env: {},
      destinations: [
        langfuse({
          enabled: true,
          endpoint: langfuseReceiver.url,
          publicKey: PUBLIC_KEY,
          secretKey: SECRET_KEY,
          redact: [dropContent()],
        }),
        memory.destination,
      ],
    });
    await runSampleWorkflow(telemetry);
    await telemetry.forceFlush();
    const sent = JSON.stringify(langfuseReceiver.exports.map((e) => e.request.body.toString()));
    expect(langfuseReceiver.acceptedSpans()).toHaveLength(3);
    expect(sent).not.toContain("jane.doe@example.com");
    expect(JSON.stringify(memory.spans().map((s) => s.attributes))).toContain("jane.doe@example.com");
    for (const span of memory.spans()) expect(span.attributes["langfuse.observation.type"]).toBeUndefined();
  });
});

describe("langfuse() configuration", () => {
  it("enabled=false: nothing is created and no request is made", async () => {
    const http = await startHttpReceiver();
    open.receivers.push(http);
    const spec = langfuse({
      enabled: false,
      endpoint: http.url,
      publicKey: PUBLIC_KEY,
      secretKey: SECRET_KEY,
    });
    expect(spec.enabled).toBe(false);
    const telemetry = telemetryWith({ env: {}, destinations: [spec] });
    expect(telemetry.enabled).toBe(false);
    await runSampleWorkflow(telemetry);
    await telemetry.forceFlush();
    await telemetry.shutdown({ timeoutMs: 1000 });
    expect(http.requests).toHaveLength(0);
  });

  it("DO_NOT_TRACK: no request, even with a complete configuration", async () => {
    const http = await startHttpReceiver();
    open.receivers.push(http);
    const telemetry = telemetryWith({
      env: { DO_NOT_TRACK: "1" },
      destinations: [
        langfuse({ enabled: true, endpoint: http.url, publicKey: PUBLIC_KEY, secretKey: SECRET_KEY }),
      ],
    });
    expect(telemetry.enabled).toBe(false);
    await runSampleWorkflow(telemetry);
    await telemetry.forceFlush();
    await telemetry.shutdown({ timeoutMs: 1000 });
    expect(http.requests).toHaveLength(0);
  });

  it("missing keys: LangfuseCredentialsError naming the variable, without the secret", () => {
    const attempt = (options: Parameters<typeof langfuse>[0]) => {
      try {
        createTelemetry({ env: {}, destinations: [langfuse(options)] });
      } catch (error) {
        return error as Error;
      }
      throw new Error("expected an error");
    };
    const noPublic = attempt({ enabled: true, secretKey: SECRET_KEY });
    expect(noPublic).toBeInstanceOf(LangfuseCredentialsError);
    expect(noPublic).toBeInstanceOf(TelemetryConfigError);
    expect(noPublic.message).toContain("LANGFUSE_PUBLIC_KEY");
    expect(noPublic.message).not.toContain(SECRET_KEY);
    const noSecret = attempt({ enabled: true, publicKey: PUBLIC_KEY });
    expect(noSecret).toBeInstanceOf(LangfuseCredentialsError);
    expect(noSecret.message).toContain("LANGFUSE_SECRET_KEY");
  });

  it(`unresolved \${...} keys: LangfuseCredentialsError naming the variable, without the secret`, () => {
    let caught: unknown;
    try {
      langfuse({ enabled: true, publicKey: `\${LANGFUSE_PUBLIC_KEY}`, secretKey: SECRET_KEY });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LangfuseCredentialsError);
    expect((caught as Error).message).toContain("LANGFUSE_PUBLIC_KEY");
    expect((caught as Error).message).not.toContain(SECRET_KEY);
    expect(() =>
      langfuse({ enabled: true, publicKey: PUBLIC_KEY, secretKey: `\${env:LANGFUSE_SECRET_KEY}` }),
    ).toThrow(/LANGFUSE_SECRET_KEY/);
  });

  it("Langfuse down: shutdown({ timeoutMs: 1000 }) resolves within 1.5 s and reports what was not delivered", async () => {
    const down = await startHttpReceiver();
    const url = down.url;
    await down.close(); // nothing listens there any more: connections are refused
    const telemetry = telemetryWith({
      env: {},
      logger: logSink([]),
      destinations: [
        langfuse({ enabled: true, endpoint: url, publicKey: PUBLIC_KEY, secretKey: SECRET_KEY }),
      ],
    });
    await runSampleWorkflow(telemetry);
    const started = performance.now();
    const report = await telemetry.shutdown({ timeoutMs: 1000 });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(1500);
    expect(report.destinations.langfuse!.exported).toBe(0);
    expect(report.destinations.langfuse!.notDelivered).toBe(3);
  });
});
