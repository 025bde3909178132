import { refusedUrl, startFaultReceiver } from "@pipelex/test-receivers";
import { afterEach, describe, expect, it } from "vitest";
import { RuntimeKillSwitch } from "../../kill-switch/kill-switch.js";
import { createHttpTransport } from "./http-transport.js";
import { unrefDispatcher } from "./unref-dispatcher.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function receiver(...args: Parameters<typeof startFaultReceiver>) {
  const r = await startFaultReceiver(...args);
  closers.push(r.close);
  return r;
}

describe("createHttpTransport", () => {
  it("POSTs the body with its headers, gzipped when asked", async () => {
    const r = await receiver();
    const transport = createHttpTransport({
      url: `${r.url}/v1/traces`,
      headers: { "content-type": "application/json", authorization: "Bearer k" },
      compression: "gzip",
      timeoutMs: 2000,
    });
    const outcome = await transport.send('{"a":1}');
    expect(outcome.ok).toBe(true);
    expect(r.requests[0]?.headers["content-encoding"]).toBe("gzip");
    expect(r.requests[0]?.body.toString()).toBe('{"a":1}');
    expect(r.requests[0]?.path).toBe("/v1/traces");
  });

  it("names a refused connection and its host within one attempt", async () => {
    const url = await refusedUrl();
    const transport = createHttpTransport({ url: `${url}/path?token=secret`, timeoutMs: 5000 });
    const started = Date.now();
    const outcome = await transport.send("x");
    expect(Date.now() - started).toBeLessThan(2000);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.message).toBe(`connection refused (${new URL(url).host})`);
    expect(outcome.error.message).not.toMatch(/path|token|secret/);
  });

  it.each([
    ["hang", "timeout after 300 ms"],
    ["reset", "connection reset"],
    ["garbage", "invalid response"],
    ["half-body", "timeout after 300 ms|connection reset|invalid response"],
  ] as const)("a %s endpoint fails in time with a named cause", async (kind, cause) => {
    const r = await receiver({ kind });
    const transport = createHttpTransport({ url: r.url, timeoutMs: 300 });
    const started = Date.now();
    const outcome = await transport.send("x");
    expect(Date.now() - started).toBeLessThan(1500);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok)
      expect(outcome.error.message).toMatch(new RegExp(`^(${cause}) \\(127\\.0\\.0\\.1:${r.port}\\)$`));
  });

  it("reports a status and Retry-After, and does not follow redirects", async () => {
    const r = await receiver({ kind: "status", status: 429, retryAfter: "2" });
    const transport = createHttpTransport({ url: r.url, timeoutMs: 2000 });
    const outcome = await transport.send("x");
    expect(outcome).toMatchObject({ ok: false, status: 429, retryAfterMs: 2000 });
    r.setFault({ kind: "status", status: 302 });
    const redirected = await transport.send("x");
    expect(redirected).toMatchObject({ ok: false, status: 302 });
    expect(r.requests).toHaveLength(2);
  });

  it("aborts a request in flight on shutdown and on the kill switch, and starts none after", async () => {
    const r = await receiver({ kind: "hang" });
    const shutdown = new AbortController();
    const env: Record<string, string | undefined> = {};
    const killSwitch = new RuntimeKillSwitch(env);
    const transport = createHttpTransport({
      url: r.url,
      timeoutMs: 10_000,
      shutdownSignal: shutdown.signal,
      killSwitch,
    });
    const first = transport.send("x");
    setTimeout(() => shutdown.abort(), 100);
    expect(await first).toMatchObject({ ok: false, error: { kind: "aborted" } });

    const other = createHttpTransport({ url: r.url, timeoutMs: 10_000, killSwitch });
    const started = Date.now();
    const second = other.send("x");
    // DO_NOT_TRACK appearing in the environment is noticed mid-request.
    setTimeout(() => {
      env.DO_NOT_TRACK = "1";
    }, 100);
    expect(await second).toMatchObject({ ok: false, error: { kind: "aborted" } });
    expect(Date.now() - started).toBeLessThan(1000);
    const before = r.requests.length;
    expect(await other.send("x")).toMatchObject({ ok: false, error: { kind: "aborted" } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(r.requests).toHaveLength(before);
  });

  it("sends through the fetch it is given (core's context.fetch)", async () => {
    const seen: string[] = [];
    const transport = createHttpTransport({
      url: "https://collector.example/v1/traces",
      timeoutMs: 1000,
      fetch: async (input) => {
        seen.push(String(input));
        return new Response("{}", { status: 200 });
      },
    });
    expect((await transport.send("x")).ok).toBe(true);
    expect(seen).toEqual(["https://collector.example/v1/traces"]);
  });

  it("on Node, send() goes through undici's request() with a query kept, while fetch is Node's own", async () => {
    const r = await receiver();
    const transport = createHttpTransport({ url: `${r.url}/batch/?v=2`, timeoutMs: 2000 });
    const dispatcher = unrefDispatcher() as { request: (...args: unknown[]) => unknown };
    const request = dispatcher.request;
    let requests = 0;
    dispatcher.request = function (this: unknown, ...args: unknown[]) {
      requests++;
      return request.apply(this, args);
    };
    try {
      const outcome = await transport.send(new TextEncoder().encode("[1]"));
      expect(outcome).toMatchObject({ ok: true, status: 200 });
    } finally {
      dispatcher.request = request;
    }
    expect(requests).toBe(1);
    expect(r.requests[0]?.path).toBe("/batch/?v=2");
    expect(r.requests[0]?.body.toString()).toBe("[1]");
  });

  it("a fetch the app or a test put in place of Node's (MSW, a stub) is the one called", async () => {
    const r = await receiver();
    const transport = createHttpTransport({ url: `${r.url}/v1/traces`, timeoutMs: 2000 });
    const realFetch = globalThis.fetch;
    const seen: string[] = [];
    globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      seen.push(String(input));
      return realFetch(input, init);
    }) as typeof fetch;
    try {
      expect((await transport.send("x")).ok).toBe(true);
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(seen).toEqual([`${r.url}/v1/traces`]);
  });

  it("an answer whose header Headers cannot hold (a character above U+00FF) is still an answer", async () => {
    const { createServer } = await import("node:http");
    const server = createServer((req, res) => {
      req.resume();
      // Raw header pairs: undici's request() then decodes the value as UTF-8.
      res.writeHead(200, [["x-note", Buffer.from("ok ✓", "utf8").toString("latin1")]]);
      res.end("{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const port = (server.address() as { port: number }).port;
    const transport = createHttpTransport({ url: `http://127.0.0.1:${port}/ingest`, timeoutMs: 2000 });
    expect(await transport.send("x")).toMatchObject({ ok: true, status: 200 });
  });
});
