import { InvalidEndpointError, LangfuseCredentialsError } from "@pipelex/telemetry-core";
import { describe, expect, it } from "vitest";
import { resolveConnection } from "./credentials.js";
import { parseLangfuseOptions } from "./options.js";

const SECRET = "sk-lf-secret-value-123456";

describe("resolveConnection", () => {
  it("uses the options when given", () => {
    const options = parseLangfuseOptions({
      enabled: true,
      endpoint: "https://eu.cloud.langfuse.com",
      publicKey: "pk-lf-1",
      secretKey: SECRET,
    });
    expect(
      resolveConnection(options, { LANGFUSE_PUBLIC_KEY: "other", LANGFUSE_BASE_URL: "https://x.example" }),
    ).toEqual({
      baseUrl: "https://eu.cloud.langfuse.com",
      publicKey: "pk-lf-1",
      secretKey: SECRET,
    });
  });

  it("falls back to LANGFUSE_* in the telemetry environment, then Langfuse cloud", () => {
    const options = parseLangfuseOptions({ enabled: true });
    expect(
      resolveConnection(options, {
        LANGFUSE_PUBLIC_KEY: "pk-env",
        LANGFUSE_SECRET_KEY: SECRET,
        LANGFUSE_BASE_URL: "https://us.cloud.langfuse.com/",
      }),
    ).toEqual({ baseUrl: "https://us.cloud.langfuse.com", publicKey: "pk-env", secretKey: SECRET });
    expect(
      resolveConnection(options, { LANGFUSE_PUBLIC_KEY: "pk-env", LANGFUSE_SECRET_KEY: SECRET }).baseUrl,
    ).toBe("https://cloud.langfuse.com");
  });

  it("names the missing key's variable, never a value", () => {
    const options = parseLangfuseOptions({ enabled: true, secretKey: SECRET });
    let caught: unknown;
    try {
      resolveConnection(options, {});
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LangfuseCredentialsError);
    expect((caught as Error).message).toContain("LANGFUSE_PUBLIC_KEY");
    expect((caught as Error).message).not.toContain(SECRET);
    expect(() =>
      resolveConnection(parseLangfuseOptions({ enabled: true, publicKey: "pk" }), {
        LANGFUSE_SECRET_KEY: "  ",
      }),
    ).toThrow(/secret key is missing.*LANGFUSE_SECRET_KEY/);
  });

  it("validates LANGFUSE_BASE_URL like an endpoint option", () => {
    const options = parseLangfuseOptions({ enabled: true, publicKey: "pk", secretKey: SECRET });
    expect(() => resolveConnection(options, { LANGFUSE_BASE_URL: "http://langfuse.internal" })).toThrow(
      InvalidEndpointError,
    );
  });
});
