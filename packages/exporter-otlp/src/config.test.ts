import { InvalidEndpointError } from "@pipelex/telemetry-core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_TRACES_ENDPOINT, resolveOtlpConfig } from "./config.js";
import { parseOtlpOptions } from "./options.js";

const options = (raw: Record<string, unknown> = {}) => parseOtlpOptions({ name: "c", ...raw });

describe("resolveOtlpConfig: option > OTEL_EXPORTER_OTLP_TRACES_* > OTEL_EXPORTER_OTLP_* > default", () => {
  it("uses OpenTelemetry's defaults with an empty environment", () => {
    const config = resolveOtlpConfig(options(), {});
    expect(config).toMatchObject({
      url: DEFAULT_TRACES_ENDPOINT,
      headers: {},
      protocol: "http/protobuf",
      compression: "none",
      timeoutMillis: 10_000,
      sources: {
        url: "default",
        headers: "none",
        protocol: "default",
        compression: "default",
        timeoutMillis: "default",
      },
      warnings: [],
    });
  });

  it("reads the generic variables, appending /v1/traces to the base endpoint", () => {
    const config = resolveOtlpConfig(options(), {
      OTEL_EXPORTER_OTLP_ENDPOINT: "https://collector.example.com:4318/",
      OTEL_EXPORTER_OTLP_HEADERS: "Authorization=Bearer%20abc,x-team=ml",
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_EXPORTER_OTLP_COMPRESSION: "gzip",
      OTEL_EXPORTER_OTLP_TIMEOUT: "2500",
    });
    expect(config).toMatchObject({
      url: "https://collector.example.com:4318/v1/traces",
      headers: { Authorization: "Bearer abc", "x-team": "ml" },
      protocol: "http/json",
      compression: "gzip",
      timeoutMillis: 2500,
      sources: { url: "OTEL_EXPORTER_OTLP_ENDPOINT", headers: "OTEL_EXPORTER_OTLP_HEADERS" },
    });
  });

  it("lets the TRACES_ form win (the endpoint as given, headers key by key)", () => {
    const config = resolveOtlpConfig(options(), {
      OTEL_EXPORTER_OTLP_ENDPOINT: "https://generic.example.com",
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://traces.example.com/custom/path",
      OTEL_EXPORTER_OTLP_HEADERS: "a=generic,b=generic",
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: "b=traces",
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/json",
      OTEL_EXPORTER_OTLP_TIMEOUT: "1000",
      OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: "2000",
    });
    expect(config.url).toBe("https://traces.example.com/custom/path");
    expect(config.headers).toEqual({ a: "generic", b: "traces" });
    expect(config.protocol).toBe("http/json");
    expect(config.timeoutMillis).toBe(2000);
    expect(config.sources).toMatchObject({
      url: "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
      headers: "OTEL_EXPORTER_OTLP_TRACES_HEADERS",
      protocol: "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
      timeoutMillis: "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT",
    });
  });

  it("explicit options win over every variable; explicit headers replace the environment's", () => {
    const config = resolveOtlpConfig(
      options({
        endpoint: "http://127.0.0.1:4318/v1/traces",
        headers: { "X-Mine": "1" },
        protocol: "http/protobuf",
        compression: "none",
        timeoutMs: 700,
      }),
      {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://traces.example.com",
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: "Authorization=Bearer other-collector",
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/json",
        OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: "gzip",
        OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: "5",
      },
    );
    expect(config).toMatchObject({
      url: "http://127.0.0.1:4318/v1/traces",
      headers: { "X-Mine": "1" },
      protocol: "http/protobuf",
      compression: "none",
      timeoutMillis: 700,
    });
    expect(config.headers).not.toHaveProperty("Authorization");
  });

  it("ignores unusable variables with a warning that names the variable", () => {
    const config = resolveOtlpConfig(options(), {
      OTEL_EXPORTER_OTLP_PROTOCOL: "grpc",
      OTEL_EXPORTER_OTLP_COMPRESSION: "br",
      OTEL_EXPORTER_OTLP_TIMEOUT: "soon",
    });
    expect(config).toMatchObject({ protocol: "http/protobuf", compression: "none", timeoutMillis: 10_000 });
    expect(config.warnings).toHaveLength(3);
    expect(config.warnings.join(" ")).toContain("OTEL_EXPORTER_OTLP_PROTOCOL");
  });

  it("validates endpoints from the environment like explicit ones, without repeating the URL", () => {
    expect(() =>
      resolveOtlpConfig(options(), {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://user:hunter2@collector.example.com",
      }),
    ).toThrow(InvalidEndpointError);
    try {
      resolveOtlpConfig(options(), {
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://user:hunter2@collector.example.com",
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidEndpointError);
      expect((error as Error).message).toContain("OTEL_EXPORTER_OTLP_ENDPOINT");
      expect((error as Error).message).not.toContain("hunter2");
    }
    expect(() =>
      resolveOtlpConfig(options(), { OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector.example.com" }),
    ).toThrow(InvalidEndpointError);
  });

  it("property: each setting comes from the highest-precedence place that has it", () => {
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
    const timeout = fc.integer({ min: 1, max: 100_000 });
    const protocol = fc.constantFrom("http/protobuf" as const, "http/json" as const);
    fc.assert(
      fc.property(
        maybe(timeout),
        maybe(timeout),
        maybe(timeout),
        maybe(protocol),
        maybe(protocol),
        maybe(protocol),
        (optTimeout, tracesTimeout, genericTimeout, optProtocol, tracesProtocol, genericProtocol) => {
          const env: Record<string, string> = {};
          if (tracesTimeout !== undefined) env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT = String(tracesTimeout);
          if (genericTimeout !== undefined) env.OTEL_EXPORTER_OTLP_TIMEOUT = String(genericTimeout);
          if (tracesProtocol !== undefined) env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL = tracesProtocol;
          if (genericProtocol !== undefined) env.OTEL_EXPORTER_OTLP_PROTOCOL = genericProtocol;
          const config = resolveOtlpConfig(options({ timeoutMs: optTimeout, protocol: optProtocol }), env);
          expect(config.timeoutMillis).toBe(optTimeout ?? tracesTimeout ?? genericTimeout ?? 10_000);
          expect(config.protocol).toBe(optProtocol ?? tracesProtocol ?? genericProtocol ?? "http/protobuf");
        },
      ),
    );
  });

  it("property: header lists round-trip through URL encoding", () => {
    const key = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/);
    const value = fc.string({ minLength: 1, maxLength: 30 }).filter((v) => v.trim() === v && v.trim() !== "");
    fc.assert(
      fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 }), (headers) => {
        const list = Object.entries(headers)
          .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
          .join(",");
        expect(resolveOtlpConfig(options(), { OTEL_EXPORTER_OTLP_HEADERS: list }).headers).toEqual(headers);
      }),
    );
  });
});
