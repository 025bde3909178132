import { context as otelContext } from "@opentelemetry/api";
import { suppressTracing } from "@opentelemetry/core";
import type { KillSwitch } from "../../kill-switch/kill-switch.js";
import { type AbortScope, createAbortScope } from "./abort-scope.js";
import { DeliveryError, hostOf, toDeliveryError } from "./describe-error.js";
import { gzip } from "./gzip.js";
import { parseRetryAfterMs } from "./retry.js";
import { unrefDispatcher } from "./unref-dispatcher.js";

type FetchFn = typeof globalThis.fetch;

export interface HttpTransportOptions {
  readonly url: string;
  /** Sent with every request (auth, content type, ...). Their values are never logged. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Gzip request bodies (`Content-Encoding: gzip`) with CompressionStream. Default "none". */
  readonly compression?: "none" | "gzip";
  /** Bound for one request, body read included. */
  readonly timeoutMs: number;
  /** Core's `shutdownSignal`: in-flight requests abort when shutdown gives up. */
  readonly shutdownSignal?: AbortSignal;
  /** Engaged by `disable()` or DO_NOT_TRACK: requests in flight abort, no new one starts. */
  readonly killSwitch?: KillSwitch;
  /**
   * `context.fetch` when core provides one (the CLI preview's capture); else `globalThis.fetch` at
   * call time. On Node, while `globalThis.fetch` is still Node's own, `send` uses undici's
   * `Agent.request()` beneath it instead; a replaced fetch (MSW, a test stub) is always used.
   */
  readonly fetch?: FetchFn | undefined;
}

/** A request's result: an answer of any status, or a failure to get one. Never thrown. */
export type HttpOutcome =
  | {
      readonly ok: true;
      readonly status: number;
      readonly headers: Headers;
      readonly body: Uint8Array;
    }
  | {
      readonly ok: false;
      /** Names the cause and the host, never a path, query or credential. */
      readonly error: DeliveryError;
      /** Set when the server answered with a non-2xx status. */
      readonly status?: number;
      /** From `Retry-After`, when the server answered with one. */
      readonly retryAfterMs?: number;
      readonly body?: Uint8Array;
    };

export interface HttpTransport {
  readonly url: string;
  /** `host:port`, for log lines. */
  readonly host: string;
  /** POSTs `body`; resolves with the outcome, never rejects. */
  send(
    body: Uint8Array | string,
    options?: { timeoutMs?: number; signal?: AbortSignal },
  ): Promise<HttpOutcome>;
  /**
   * A `fetch` with the transport's guarantees, for client libraries that take one (posthog-node's
   * `fetch` option): timeout, shutdown and kill-switch aborts, no redirects, tracing suppressed,
   * the body read within the timeout. Rejects with a DeliveryError on failure.
   */
  readonly fetch: FetchFn;
}

/**
 * The delivery toolkit's HTTP transport (fetch, so it runs on every runtime). Each request:
 * - is bounded by `timeoutMs`, body read included, so half a body or a hang ends in time;
 * - aborts when core's shutdown gives up or the kill switch engages (any route), and does not
 *   start once either happened;
 * - does not follow redirects (`redirect: "manual"`): credentials never reach another host, and a
 *   3xx is a failure;
 * - runs with the host's OpenTelemetry tracing suppressed, so an app's fetch/undici
 *   instrumentation does not trace telemetry's own requests.
 * Every timer is unref'd, and on Node so is every socket: a request never keeps the process alive.
 */
export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  const url = options.url;
  const host = hostOf(url);
  const baseHeaders: Record<string, string> = { ...options.headers };
  if (options.compression === "gzip") baseHeaders["Content-Encoding"] = "gzip";

  const guardedFetch = async (
    input: string | URL | Request,
    init: RequestInit = {},
    timeoutMs = options.timeoutMs,
  ): Promise<Response> => {
    const target = typeof input === "string" || input instanceof URL ? input : input.url;
    const scope = createAbortScope({
      timeoutMs,
      signals: [options.shutdownSignal, init.signal],
      killSwitch: options.killSwitch,
    });
    const failure = (error: unknown) => failureIn(scope, error, target, timeoutMs);
    try {
      if (scope.signal.aborted) throw failure(undefined);
      const fetchFn = options.fetch ?? globalThis.fetch;
      // On Node, sockets that never hold the process (the given fetch, e.g. a capture, gets none).
      const dispatcher = options.fetch ? undefined : unrefDispatcher();
      // Suppressed so a host app's fetch/undici instrumentation does not trace our own requests.
      const response = await otelContext.with(suppressTracing(otelContext.active()), () =>
        fetchFn(input, {
          ...init,
          signal: scope.signal,
          redirect: "manual",
          ...(dispatcher ? ({ dispatcher } as object) : {}),
        }),
      );
      // Read within the scope: a half body or a stalled stream fails within the timeout.
      const body = await response.arrayBuffer();
      return new Response(response.status === 204 || response.status === 304 ? null : body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } catch (error) {
      throw failure(error);
    } finally {
      scope.dispose();
    }
  };

  /**
   * On Node, `send` goes through the unref'd undici Agent's own `request()`, under fetch: a third
   * of fetch's CPU per request (no WHATWG Request/Response/streams), same guarantees (bounded,
   * aborted by shutdown and the kill switch, no redirects: `request()` follows none, tracing
   * suppressed). Not for a given fetch (a capture), nor for a port fetch refuses (fetch names it).
   */
  const leanDispatcher = (): UndiciDispatcher | undefined => {
    if (options.fetch || globalThis.fetch !== NODE_FETCH || blockedByFetch(url)) return undefined;
    const dispatcher = unrefDispatcher() as Partial<UndiciDispatcher> | undefined;
    return typeof dispatcher?.request === "function" ? (dispatcher as UndiciDispatcher) : undefined;
  };
  const target = (() => {
    try {
      const parsed = new URL(url);
      return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
    } catch {
      return undefined;
    }
  })();
  const dispatcherSend = async (
    dispatcher: UndiciDispatcher,
    body: Uint8Array | string,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<HttpOutcome> => {
    const scope = createAbortScope({
      timeoutMs,
      signals: [options.shutdownSignal, signal],
      killSwitch: options.killSwitch,
    });
    try {
      if (scope.signal.aborted) throw new DeliveryError("aborted", host);
      if (!target) throw new TypeError(`invalid URL`);
      const payload = options.compression === "gzip" ? await gzip(body) : body;
      const response = await otelContext.with(suppressTracing(otelContext.active()), () =>
        dispatcher.request({
          origin: target.origin,
          path: target.path,
          method: "POST",
          headers: baseHeaders,
          body: payload,
          signal: scope.signal,
        }),
      );
      const bytes = new Uint8Array(await response.body.arrayBuffer());
      const headers = headersOf(response.headers);
      const status = response.statusCode;
      if (status >= 200 && status < 300) return { ok: true, status, headers, body: bytes };
      return {
        ok: false,
        status,
        error: new DeliveryError("HTTP status", host, status),
        retryAfterMs: parseRetryAfterMs(headers.get("retry-after")),
        body: bytes,
      };
    } catch (error) {
      return { ok: false, error: failureIn(scope, error, url, timeoutMs) };
    } finally {
      scope.dispose();
    }
  };

  return {
    url,
    host,
    fetch: ((input: string | URL | Request, init?: RequestInit) => guardedFetch(input, init)) as FetchFn,
    async send(body, sendOptions = {}) {
      const timeoutMs = Math.min(options.timeoutMs, sendOptions.timeoutMs ?? options.timeoutMs);
      const dispatcher = leanDispatcher();
      if (dispatcher) return dispatcherSend(dispatcher, body, timeoutMs, sendOptions.signal);
      try {
        const payload = options.compression === "gzip" ? await gzip(body) : body;
        const response = await guardedFetch(
          url,
          {
            method: "POST",
            headers: baseHeaders,
            body: payload as Uint8Array<ArrayBuffer> | string,
            signal: sendOptions.signal,
          },
          timeoutMs,
        );
        const bytes = new Uint8Array(await response.arrayBuffer());
        if (response.status >= 200 && response.status < 300) {
          return { ok: true, status: response.status, headers: response.headers, body: bytes };
        }
        return {
          ok: false,
          status: response.status,
          error: new DeliveryError("HTTP status", host, response.status),
          retryAfterMs: parseRetryAfterMs(response.headers.get("retry-after")),
          body: bytes,
        };
      } catch (error) {
        return { ok: false, error: toDeliveryError(error, url) };
      }
    },
  };
}

/** Why a request of `scope` failed: its own timeout, a stop (shutdown, kill switch), or `error`'s cause. */
function failureIn(
  scope: AbortScope,
  error: unknown,
  target: string | URL,
  timeoutMs: number,
): DeliveryError {
  const where = hostOf(target);
  if (scope.cause === "timeout")
    return new DeliveryError("timeout", where, undefined, `after ${timeoutMs} ms`);
  if (scope.cause === "stopped") return new DeliveryError("aborted", where);
  return toDeliveryError(error, target);
}

/**
 * The `fetch` this module found at load: the dispatcher path stands in for it only while it is
 * still the global one (an app or test that replaces fetch gets its own fetch called).
 */
const NODE_FETCH = globalThis.fetch;

/**
 * undici's response headers as Headers. A value Headers refuses (a character above U+00FF,
 * which undici decodes as UTF-8 where fetch reads Latin-1) is left out: it never turns an
 * answer into a failure.
 */
function headersOf(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(raw)) {
    for (const one of typeof value === "string" ? [value] : Array.isArray(value) ? value : []) {
      try {
        headers.append(key, one);
      } catch {
        // Not representable as a header value: skipped.
      }
    }
  }
  return headers;
}

/**
 * Ports the Fetch standard's "bad port" list blocks (fetch refuses them on every runtime): the
 * dispatcher path leaves them to fetch, so a port reads the same everywhere.
 */
const FETCH_BAD_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104,
  109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515,
  526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049,
  3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

function blockedByFetch(url: string): boolean {
  try {
    const port = new URL(url).port;
    return port !== "" && FETCH_BAD_PORTS.has(Number(port));
  } catch {
    return false;
  }
}

/** The part of undici's Dispatcher (the Agent behind Node's fetch) that `send` uses. */
interface UndiciDispatcher {
  request(options: {
    origin: string;
    path: string;
    method: string;
    headers: Record<string, string>;
    body: Uint8Array | string;
    signal: AbortSignal;
  }): Promise<{
    statusCode: number;
    headers: Record<string, string | string[] | undefined>;
    body: { arrayBuffer(): Promise<ArrayBuffer> };
  }>;
}
