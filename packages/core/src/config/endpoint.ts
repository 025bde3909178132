import { type ConfigErrorLocation, InvalidEndpointError } from "../errors.js";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export function isLoopbackHost(hostname: string): boolean {
  return (
    LOOPBACK_HOSTS.has(hostname) || /^127(?:\.\d{1,3}){3}$/.test(hostname) || hostname.endsWith(".localhost")
  );
}

/**
 * Endpoints must be `https://`, except loopback hosts (local collectors, tests); URLs with
 * embedded credentials are rejected (they would end up in logs and proxies). The error never
 * repeats the URL, which may hold a secret.
 */
export function validateEndpoint(value: string, location: ConfigErrorLocation = {}): URL {
  // "us.i.posthog.com" or "localhost:4318/v1/traces": a host without a scheme. (The second
  // even parses, as the scheme "localhost:".) Say what to add rather than "not a URL".
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value.trim())) {
    throw new InvalidEndpointError(
      "has no scheme: add https:// in front (http:// only for a loopback host such as localhost)",
      { ...location, expected: "an absolute URL such as https://collector.example.com" },
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidEndpointError("is not a valid URL", {
      ...location,
      expected: "an absolute http(s) URL",
    });
  }
  if (url.username !== "" || url.password !== "") {
    throw new InvalidEndpointError(
      "embeds credentials in the URL; put them in headers or the key options instead",
      {
        ...location,
        expected: "a URL without user:password@",
      },
    );
  }
  if (url.protocol === "https:") return url;
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) return url;
  throw new InvalidEndpointError(
    url.protocol === "http:"
      ? `uses http:// for the non-loopback host ${url.hostname}`
      : `uses unsupported scheme ${url.protocol}`,
    { ...location, expected: "https://, or http:// on a loopback host" },
  );
}
