import { AsyncLocalStorage } from "node:async_hooks";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type Context, type ContextManager, context as otelContext, ROOT_CONTEXT } from "@opentelemetry/api";
import { isTracingSuppressed } from "@opentelemetry/core";
import { createTelemetry, GatewayTelemetryUnavailableError } from "@pipelex/telemetry-core";
import { startGatewayReceiver } from "@pipelex/test-receivers";
import { afterEach, describe, expect, it } from "vitest";
import { gatewayStream } from "../src/index.js";
import { type SilentEndpoint, startSilentEndpoint } from "./support.js";

/**
 * The remote config request at start goes through core's delivery toolkit: it never keeps the
 * app alive, shutdown stops it, the kill switch (either route) aborts it, and the host app's
 * tracing does not see it.
 */

const SCRIPT = fileURLToPath(new URL("./fixtures/hanging-config-script.mjs", import.meta.url));
const KEY = "pgw_remote_config_lifetime_0123456789";
/** Issue 12's targets, plus room for a loaded 2-core machine (tools/faults/README.md says why). */
const EXIT_AFTER_SHUTDOWN_MS = 100 + 50;
const EXIT_WITHOUT_SHUTDOWN_MS = 1000 + 50;

let endpoint: SilentEndpoint | undefined;
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

/**
 * Runs the script against `endpoint`, tells it to end once its config request is in flight, and
 * resolves with the ms from `from` to its `exit` event, on its own clock.
 */
function exitGapMs(endpoint: SilentEndpoint, mode: string, from: string): Promise<number> {
  return new Promise((resolve, reject) => {
    // --liftoff-only: see tools/faults/README.md (Node's own wait for V8's compile of fetch's parser).
    const child = spawn(process.execPath, ["--liftoff-only", SCRIPT, endpoint.url, mode], {
      cwd: fileURLToPath(new URL(".", import.meta.url)),
      env: { PATH: process.env.PATH ?? "" },
      stdio: ["pipe", "pipe", "inherit"],
    });
    const inFlight = setInterval(() => {
      if ((endpoint.connections[0]?.chunksAt.length ?? 0) === 0) return;
      clearInterval(inFlight);
      child.stdin.end("go\n");
    }, 5);
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    const guard = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("exit", () => {
      clearTimeout(guard);
      clearInterval(inFlight);
      const events = new Map<string, number>();
      for (const line of out.split("\n").filter(Boolean)) {
        const { event, t } = JSON.parse(line) as { event: string; t: number };
        events.set(event, t);
      }
      const start = events.get(from);
      const end = events.get("exit");
      if (start === undefined || end === undefined) reject(new Error(`the script printed: ${out}`));
      else resolve(end - start);
    });
  });
}

describe("a config endpoint that never answers does not hold a short script", () => {
  it.each([
    ["with a span queued", "shutdown"],
    ["with nothing recorded", "shutdown-idle"],
  ])(`%s, the process exits within ${EXIT_AFTER_SHUTDOWN_MS} ms of shutdown() resolving`, async (_, mode) => {
    endpoint = await startSilentEndpoint("/config.json");
    const gap = await exitGapMs(endpoint, mode, "shutdown-resolved");
    expect(endpoint.connections[0]?.chunksAt.length, "the config request was in flight").toBeGreaterThan(0);
    expect(gap).toBeLessThanOrEqual(EXIT_AFTER_SHUTDOWN_MS);
  });

  it(`without shutdown(), the process exits within ${EXIT_WITHOUT_SHUTDOWN_MS} ms of its last line`, async () => {
    endpoint = await startSilentEndpoint("/config.json");
    const gap = await exitGapMs(endpoint, "no-shutdown", "last-work");
    expect(endpoint.connections[0]?.chunksAt.length, "the config request was in flight").toBeGreaterThan(0);
    expect(gap).toBeLessThanOrEqual(EXIT_WITHOUT_SHUTDOWN_MS);
  });
});

describe("the kill switch engaging while the remote config loads", () => {
  it.each([
    ["DO_NOT_TRACK appearing in the environment", "env"],
    ["telemetry.disable()", "disable"],
  ])("%s aborts the request: its connection closes, no byte after it", async (_, route) => {
    endpoint = await startSilentEndpoint("/config.json");
    const env: Record<string, string> = {};
    // The default 5 s start bound: only the kill switch can end the request this soon.
    const stream = gatewayStream({ apiKey: KEY, remoteConfigUrl: endpoint.url, env: {} });
    const telemetry = createTelemetry({ env, destinations: [stream], logLevel: "silent" });
    const ready = stream.ready().then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    const connections = endpoint.connections;
    while ((connections[0]?.chunksAt.length ?? 0) === 0)
      await new Promise((resolve) => setTimeout(resolve, 5));
    const switchedAt = Date.now();
    if (route === "env") env.DO_NOT_TRACK = "1";
    else telemetry.disable();

    const error = await ready;
    // DO_NOT_TRACK is read every 100 ms while a request is in flight; disable() acts at once.
    expect(Date.now() - switchedAt).toBeLessThan(1000);
    expect(error).toBeInstanceOf(GatewayTelemetryUnavailableError);
    expect(error?.message).toMatch(/kill switch engaged/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(connections[0]!.closedAt, "the client closed (aborted) the connection").toBeDefined();
    expect(connections[0]!.closedAt! - switchedAt).toBeLessThan(1000);
    // No byte after the switch, on any connection. (Node's fetch opens one empty connection right
    // after an abort, nodejs/undici#5845; it carries nothing and holds nothing: our sockets are unref'd.)
    expect(connections.flatMap((c) => c.chunksAt).filter((at) => at >= switchedAt)).toEqual([]);
    await telemetry.shutdown({ timeoutMs: 500 });
  });
});

/** The host app's OpenTelemetry context propagation (what its fetch instrumentation reads). */
class HostContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.storage.run(context, () => fn.call(thisArg, ...args));
  }
  bind<T>(_context: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.storage.disable();
    return this;
  }
}

describe("the host app's tracing", () => {
  it("does not see the remote config request (tracing is suppressed around it)", async () => {
    const receiver = await startGatewayReceiver();
    otelContext.setGlobalContextManager(new HostContextManager());
    try {
      const seen: boolean[] = [];
      // The fetch a host's instrumentation would wrap: it records whether tracing is suppressed.
      const hostFetch: typeof fetch = (input, init) => {
        seen.push(isTracingSuppressed(otelContext.active()));
        return fetch(input, init);
      };
      const stream = gatewayStream({ apiKey: KEY, remoteConfigUrl: receiver.remoteConfigUrl, env: {} });
      const telemetry = createTelemetry({
        env: {},
        destinations: [stream],
        fetch: hostFetch,
        logLevel: "silent",
      });
      await stream.ready();
      await telemetry.shutdown({ timeoutMs: 1000 });
      expect(receiver.configRequests()).toHaveLength(1);
      expect(seen).toEqual([true]);
    } finally {
      otelContext.disable();
      await receiver.close();
    }
  });
});
