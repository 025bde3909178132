import { describe, expect, it } from "vitest";
import { InvalidEndpointError } from "../errors.js";
import { validateEndpoint } from "./endpoint.js";

function problem(value: string): InvalidEndpointError {
  try {
    validateEndpoint(value, { keyPath: "custom_posthog.endpoint" });
  } catch (error) {
    return error as InvalidEndpointError;
  }
  throw new Error(`expected ${value} to be refused`);
}

describe("validateEndpoint", () => {
  it.each([
    "us.i.posthog.com",
    "localhost:4318/v1/traces",
    "collector.internal:4318",
    " eu.i.posthog.com/x?token=t0k",
  ])("an endpoint without a scheme (%j) says to add https://", (value) => {
    const error = problem(value);
    expect(error).toBeInstanceOf(InvalidEndpointError);
    expect(error.message).toBe(
      'options, key "custom_posthog.endpoint": has no scheme: add https:// in front (http:// only for a loopback host such as localhost) (expected an absolute URL such as https://collector.example.com)',
    );
    expect(error.message).not.toContain("t0k");
  });

  it("keeps the other checks", () => {
    expect(problem("http://collector.example.com/v1/traces").message).toContain(
      "http:// for the non-loopback host",
    );
    expect(problem("https://user:pw@x.example.com").message).toContain("embeds credentials");
    expect(problem("ftp://x.example.com").message).toContain("unsupported scheme ftp:");
    expect(validateEndpoint("http://localhost:4318/v1/traces").hostname).toBe("localhost");
    expect(validateEndpoint("https://us.i.posthog.com").protocol).toBe("https:");
  });
});
