import {
  InvalidEndpointError,
  LangfuseCredentialsError,
  TelemetryConfigError,
} from "@pipelex/telemetry-core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseLangfuseOptions } from "./options.js";

const SECRET = "sk-lf-0123456789abcdef-SECRET";

describe("parseLangfuseOptions", () => {
  it("is off by default and accepts the template's unresolved placeholders while off", () => {
    const options = parseLangfuseOptions({
      endpoint: `\${LANGFUSE_BASE_URL}`,
      publicKey: `\${LANGFUSE_PUBLIC_KEY}`,
      secretKey: `\${LANGFUSE_SECRET_KEY}`,
    });
    expect(options.enabled).toBe(false);
    expect(options.endpoint).toBeUndefined();
  });

  it("keeps the keys and strips a trailing slash from the endpoint", () => {
    const options = parseLangfuseOptions({
      enabled: true,
      endpoint: "https://eu.langfuse.example/",
      publicKey: "pk-lf-1",
      secretKey: SECRET,
      environment: "staging",
      release: "1.2.3",
      flushAt: 10,
      flushInterval: 2,
    });
    expect(options).toMatchObject({
      enabled: true,
      endpoint: "https://eu.langfuse.example",
      publicKey: "pk-lf-1",
      secretKey: SECRET,
      environment: "staging",
      release: "1.2.3",
      flushAt: 10,
      flushInterval: 2,
    });
  });

  it("leaves the endpoint unset when it was not chosen, so LANGFUSE_BASE_URL can apply", () => {
    expect(parseLangfuseOptions({ enabled: true }).endpoint).toBeUndefined();
    expect(parseLangfuseOptions({ enabled: true, endpoint: "" }).endpoint).toBeUndefined();
    expect(
      parseLangfuseOptions({ enabled: true, endpoint: `\${LANGFUSE_BASE_URL}` }).endpoint,
    ).toBeUndefined();
  });

  it("rejects an unresolved key placeholder naming the variable and the key, never a value", () => {
    const attempt = () =>
      parseLangfuseOptions(
        { enabled: true, publicKey: "pk-lf-1", secretKey: `\${LANGFUSE_SECRET_KEY}` },
        { file: "/home/me/.pipelex/telemetry.toml", keyPath: "langfuse", env: undefined },
      );
    expect(attempt).toThrow(LangfuseCredentialsError);
    try {
      attempt();
    } catch (error) {
      expect(error).toBeInstanceOf(TelemetryConfigError);
      const e = error as LangfuseCredentialsError;
      expect(e.message).toContain("LANGFUSE_SECRET_KEY");
      // camelCase under ctx.keyPath: core spells it as written in the file.
      expect(e.keyPath).toBe("langfuse.secretKey");
      expect(e.file).toBe("/home/me/.pipelex/telemetry.toml");
      expect(e.message).not.toContain("pk-lf-1");
    }
    expect(() =>
      parseLangfuseOptions({ enabled: true, publicKey: `\${env:MY_PK}`, secretKey: SECRET }),
    ).toThrow(/public key.*MY_PK/);
  });

  it("validates the endpoint only when on: https except loopback, no credentials in the URL", () => {
    expect(() => parseLangfuseOptions({ enabled: true, endpoint: "http://langfuse.example" })).toThrow(
      InvalidEndpointError,
    );
    expect(() => parseLangfuseOptions({ enabled: true, endpoint: "http://127.0.0.1:3000" })).not.toThrow();
    let caught: unknown;
    try {
      parseLangfuseOptions({ enabled: true, endpoint: `https://pk:${SECRET}@cloud.langfuse.com` });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidEndpointError);
    expect((caught as Error).message).not.toContain(SECRET);
    expect(() => parseLangfuseOptions({ enabled: false, endpoint: "http://langfuse.example" })).not.toThrow();
  });

  it("rejects unknown keys and wrong types with TelemetryConfigError", () => {
    expect(() => parseLangfuseOptions({ enabled: true, host: "x" })).toThrow(/key "host": unknown key/);
    expect(() => parseLangfuseOptions({ enabled: "yes" })).toThrow(TelemetryConfigError);
    expect(() => parseLangfuseOptions({ flushAt: 0 })).toThrow(TelemetryConfigError);
  });

  it("never puts a key value into an error message (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 8 }).filter((s) => s.trim() === s && !s.includes("$")),
        (secret) => {
          for (const raw of [
            { enabled: true, secretKey: secret, publicKey: `\${UNSET_PK}` },
            { enabled: true, secretKey: secret, endpoint: "ftp://x" },
            { enabled: true, secretKey: secret, extra: 1 },
          ]) {
            try {
              parseLangfuseOptions(raw);
            } catch (error) {
              expect((error as Error).message).not.toContain(secret);
            }
          }
        },
      ),
    );
  });
});

describe("describe()", () => {
  it("shows the endpoint without its query string, which may carry a token", async () => {
    const { langfusePlugin } = await import("./plugin.js");
    const options = parseLangfuseOptions({
      enabled: true,
      endpoint: "https://lf.example.com/base?token=tok-SECRET",
      publicKey: "pk-lf-1",
      secretKey: SECRET,
    });
    const description = langfusePlugin.describe(options);
    expect(description.sendsTo).toBe("https://lf.example.com/base?…");
    expect(JSON.stringify(description)).not.toContain("SECRET");
  });
});
