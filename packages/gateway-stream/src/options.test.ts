import {
  GatewayApiKeyMissingError,
  GatewayDoNotTrackConflictError,
  InvalidEndpointError,
  isDoNotTrack,
  TelemetryConfigError,
} from "@pipelex/telemetry-core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gatewayStream } from "./stream.js";

const KEY = "pgw-test-key-0123456789abcdef";
/** Built from parts so the literal `${...}` is data, not a template slip. */
const placeholder = (name: string) => ["$", "{", name, "}"].join("");
const ALLOWED = new Set(["apiKey", "endpoint", "projectKey", "remoteConfigUrl", "env", "startTimeoutMs"]);

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("gatewayStream options", () => {
  it("refuses every key that could widen or switch off the stream", () => {
    const attempts: Record<string, unknown>[] = [
      { allow: ["$ai_input"] },
      { extraProperties: { prompt: "x" } },
      { redact: [] },
      { redact: [(s: unknown) => s] },
      { enabled: false },
      { mode: "off" },
      { delivery: { maxQueueSize: 1 } },
      { capture: { content: true } },
      { tracing: { capture: { content: true } } },
      { properties: { $ai_input: "x" } },
      { beforeSend: () => null },
      { disabled: true },
    ];
    for (const extra of attempts) {
      const error = thrown(() => gatewayStream({ apiKey: KEY, env: {}, ...extra }));
      expect(error, JSON.stringify(Object.keys(extra))).toBeInstanceOf(TelemetryConfigError);
    }
  });

  it("refuses any unknown key (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !ALLOWED.has(k) && k !== "__proto__"),
        fc.anything(),
        (key, value) => {
          const error = thrown(() => gatewayStream({ apiKey: KEY, env: {}, [key]: value } as never));
          expect(error).toBeInstanceOf(TelemetryConfigError);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("checks DO_NOT_TRACK before anything else, for every value that counts as set", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom("1", "true", "yes", "no", "off", "", " TRUE ", "on"), fc.string()),
        (value) => {
          fc.pre(isDoNotTrack({ DO_NOT_TRACK: value }));
          expect(thrown(() => gatewayStream({ env: { DO_NOT_TRACK: value } }))).toBeInstanceOf(
            GatewayDoNotTrackConflictError,
          );
          expect(thrown(() => gatewayStream({ apiKey: KEY, env: { DO_NOT_TRACK: value } }))).toBeInstanceOf(
            GatewayDoNotTrackConflictError,
          );
        },
      ),
      { numRuns: 100 },
    );
    for (const off of ["0", "false", " FALSE ", " 0 "]) {
      expect(() => gatewayStream({ apiKey: KEY, env: { DO_NOT_TRACK: off } })).not.toThrow();
    }
  });

  it("the conflict message says the gateway requires telemetry, DNT is respected, and how to proceed", () => {
    const error = thrown(() => gatewayStream({ apiKey: KEY, env: { DO_NOT_TRACK: "1" } })) as Error;
    expect(error.message).toMatch(/requires telemetry/);
    expect(error.message).toMatch(/Do Not Track is respected/);
    expect(error.message).toMatch(/unset DO_NOT_TRACK/);
    expect(error.message).toMatch(/own provider keys/);
  });

  it("needs the key: option, else PIPELEX_GATEWAY_API_KEY; missing, blank or unresolved is GatewayApiKeyMissingError", () => {
    expect(thrown(() => gatewayStream({ env: {} }))).toBeInstanceOf(GatewayApiKeyMissingError);
    expect(thrown(() => gatewayStream({ apiKey: "  ", env: {} }))).toBeInstanceOf(GatewayApiKeyMissingError);
    expect(
      thrown(() => gatewayStream({ apiKey: placeholder("PIPELEX_GATEWAY_API_KEY"), env: {} })),
    ).toBeInstanceOf(GatewayApiKeyMissingError);
    expect(
      thrown(() => gatewayStream({ env: { PIPELEX_GATEWAY_API_KEY: placeholder("env:NOPE") } })),
    ).toBeInstanceOf(GatewayApiKeyMissingError);
    expect(() => gatewayStream({ env: { PIPELEX_GATEWAY_API_KEY: KEY } })).not.toThrow();
  });

  it("reads DO_NOT_TRACK and the key from process.env by default", () => {
    const saved = { ...process.env };
    try {
      delete process.env.DO_NOT_TRACK;
      process.env.PIPELEX_GATEWAY_API_KEY = KEY;
      expect(() => gatewayStream()).not.toThrow();
      process.env.DO_NOT_TRACK = "1";
      expect(thrown(() => gatewayStream())).toBeInstanceOf(GatewayDoNotTrackConflictError);
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });

  it("validates endpoints and never repeats the key in an error", () => {
    const bad = [
      { endpoint: "http://ingest.example.com" },
      { endpoint: `https://user:${KEY}@example.com` },
      { remoteConfigUrl: "ftp://example.com/config.json" },
      { remoteConfigUrl: "not a url" },
    ];
    for (const options of bad) {
      const error = thrown(() => gatewayStream({ apiKey: KEY, env: {}, ...options })) as Error;
      expect(error).toBeInstanceOf(InvalidEndpointError);
      expect(error.message).not.toContain(KEY);
    }
    const fromEnv = thrown(() =>
      gatewayStream({ apiKey: KEY, env: { PIPELEX_REMOTE_CONFIG_URL: "http://config.example.com/x.json" } }),
    );
    expect(fromEnv).toBeInstanceOf(InvalidEndpointError);
    expect((fromEnv as TelemetryConfigError).keyPath).toBe("PIPELEX_REMOTE_CONFIG_URL");
  });

  it("startTimeoutMs may only lower the 5 s bound", () => {
    for (const value of [0, -1, 5001, 60_000, Number.NaN, "100"]) {
      expect(
        thrown(() => gatewayStream({ apiKey: KEY, env: {}, startTimeoutMs: value as number })),
      ).toBeInstanceOf(TelemetryConfigError);
    }
    expect(() => gatewayStream({ apiKey: KEY, env: {}, startTimeoutMs: 5000 })).not.toThrow();
    expect(() => gatewayStream({ apiKey: KEY, env: {}, startTimeoutMs: 50 })).not.toThrow();
  });

  it("is a mandatory destination that receives no content and has no redactor", () => {
    const stream = gatewayStream({ apiKey: KEY, env: {} });
    expect(stream.mandatory).toBe(true);
    expect(stream.receivesContent).toBe(false);
    expect(stream.redact).toEqual([]);
    expect(stream.secrets).toContain(KEY);
    expect(JSON.stringify(stream.describe?.())).not.toContain(KEY);
  });
});
