import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DeliveryError, describeDeliveryError, displayUrl } from "./describe-error.js";

const fetchFailed = (code: string) => Object.assign(new TypeError("fetch failed"), { cause: { code } });

describe("describeDeliveryError", () => {
  it.each([
    ["ECONNREFUSED", "connection refused"],
    ["ENOTFOUND", "DNS failure"],
    ["EAI_AGAIN", "DNS failure"],
    ["CERT_HAS_EXPIRED", "TLS error"],
    ["ERR_TLS_CERT_ALTNAME_INVALID", "TLS error"],
    ["ECONNRESET", "connection reset"],
    ["UND_ERR_SOCKET", "connection reset"],
    ["HPE_INVALID_CONSTANT", "invalid response"],
    ["UND_ERR_CONNECT_TIMEOUT", "timeout"],
  ])("%s is a %s, with the host", (code, cause) => {
    expect(describeDeliveryError(fetchFailed(code), "http://127.0.0.1:9/v1/traces")).toBe(
      `${cause} (127.0.0.1:9)`,
    );
  });

  it("names an HTTP status", () => {
    expect(describeDeliveryError(new DeliveryError("HTTP status", "h:1", 503), "http://h:1")).toBe(
      "HTTP 503 (h:1)",
    );
    expect(describeDeliveryError({ status: 401 }, "https://eu.i.posthog.com/batch/")).toBe(
      "HTTP 401 (eu.i.posthog.com)",
    );
  });

  it("property: never a credential, path or query, whatever the error says", () => {
    const word = fc.stringMatching(/^[a-z]{6,12}$/);
    fc.assert(
      fc.property(word, word, word, word, (user, pass, path, query) => {
        const url = `https://${user}:${pass}@collector.example:4318/${path}?key=${query}`;
        const error = Object.assign(new TypeError(`fetch failed for ${url}`), {
          cause: { code: "ECONNREFUSED", message: url },
        });
        const text = describeDeliveryError(error, url);
        expect(text).toBe("connection refused (collector.example:4318)");
        for (const part of [user, pass, path, query]) expect(text).not.toContain(part);
      }),
    );
  });
});

describe("displayUrl", () => {
  it("drops the query string, which may carry a token, and never shows credentials", () => {
    expect(displayUrl("https://c.example.com/v1/traces?api_key=secret")).toBe(
      "https://c.example.com/v1/traces?…",
    );
    expect(displayUrl("http://localhost:4318/v1/traces")).toBe("http://localhost:4318/v1/traces");
    expect(displayUrl("https://user:hunter2@c.example.com/ingest")).toBe("https://c.example.com/ingest");
    expect(displayUrl("https://us.i.posthog.com")).toBe("https://us.i.posthog.com");
    expect(displayUrl("not a url")).toBe("(invalid URL)");
  });
});
