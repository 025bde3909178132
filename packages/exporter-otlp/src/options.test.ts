import { InvalidEndpointError, TelemetryConfigError } from "@pipelex/telemetry-core";
import { describe, expect, it } from "vitest";
import plugin, { otlp } from "./index.js";
import { parseOtlpOptions } from "./options.js";

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}

describe("parseOtlpOptions", () => {
  it("accepts https anywhere and http on loopback", () => {
    for (const endpoint of [
      "https://collector.example.com/v1/traces",
      "http://localhost:4318/v1/traces",
      "http://127.0.0.1:4318/v1/traces",
      "http://[::1]:4318/v1/traces",
    ]) {
      expect(parseOtlpOptions({ name: "c", endpoint }).endpoint).toBe(endpoint);
    }
  });

  it("rejects credentials in the URL with InvalidEndpointError, without echoing them", () => {
    const error = errorOf(() =>
      otlp({ name: "c", endpoint: "https://admin:s3cr3t-pass@collector.example.com/v1/traces" }),
    );
    expect(error).toBeInstanceOf(InvalidEndpointError);
    expect(error.message).toContain("credentials");
    expect(error.message).not.toContain("s3cr3t-pass");
  });

  it("rejects http:// off loopback, other schemes and non-URLs with InvalidEndpointError", () => {
    for (const endpoint of [
      "http://collector.example.com/v1/traces",
      "ftp://127.0.0.1/x",
      "collector:4318",
    ]) {
      expect(() => parseOtlpOptions({ name: "c", endpoint })).toThrow(InvalidEndpointError);
    }
  });

  it("names the file and key path of a bad [[otlp]] entry", () => {
    const error = errorOf(() =>
      plugin.parseOptions(
        { name: "c", endpoint: "http://collector.example.com" },
        { file: "/app/.pipelex/telemetry.toml", keyPath: "otlp[1]", env: undefined },
      ),
    ) as InvalidEndpointError;
    expect(error.file).toBe("/app/.pipelex/telemetry.toml");
    expect(error.keyPath).toBe("otlp[1].endpoint");
  });

  it("rejects unknown keys, a missing name and bad enum values with TelemetryConfigError", () => {
    expect(() => parseOtlpOptions({ name: "c", url: "x" })).toThrow(TelemetryConfigError);
    expect(() => parseOtlpOptions({ endpoint: "http://localhost:4318" })).toThrow(TelemetryConfigError);
    expect(() => parseOtlpOptions({ name: "c", protocol: "grpc" })).toThrow(TelemetryConfigError);
    expect(() => parseOtlpOptions({ name: "c", compression: "br" })).toThrow(TelemetryConfigError);
    expect(() => parseOtlpOptions({ name: "c", timeoutMs: 0 })).toThrow(TelemetryConfigError);
  });

  it("checks header names and values, naming the header but never the value", () => {
    expect(() => parseOtlpOptions({ name: "c", headers: { "Bad Header": "x" } })).toThrow(
      TelemetryConfigError,
    );
    const lineBreak = errorOf(() =>
      parseOtlpOptions({ name: "c", headers: { Authorization: "Bearer tok\r\nX-Evil: 1" } }),
    );
    expect(lineBreak.message).toContain("headers.Authorization");
    expect(lineBreak.message).not.toContain("tok");
    const unresolved = errorOf(() =>
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a ${VAR} placeholder, as written in telemetry.toml
      parseOtlpOptions({ name: "c", headers: { Authorization: "Bearer ${env:OTLP_TOKEN}" } }),
    );
    expect(unresolved).toBeInstanceOf(TelemetryConfigError);
    expect(unresolved.message).toContain("OTLP_TOKEN");
  });

  it("registers every header value as a secret and describes the destination without them", () => {
    const spec = otlp({
      name: "collector",
      endpoint: "https://collector.example.com/v1/traces?token=abc123",
      headers: { Authorization: "Bearer very-secret-token", "X-Api-Key": "key-0123456789" },
    });
    expect(spec.name).toBe("collector");
    expect(spec.secrets).toEqual(["Bearer very-secret-token", "key-0123456789"]);
    // Full data by default: no redactor, so content is recorded for this destination.
    expect(spec.redact).toEqual([]);
    const described = JSON.stringify(spec.describe?.());
    expect(described).toContain("https://collector.example.com/v1/traces?…");
    expect(described).toContain("Authorization");
    expect(described).not.toContain("very-secret-token");
    expect(described).not.toContain("abc123");
  });
});
