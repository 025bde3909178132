import { nextSeq } from "./sequence.js";

/** One outgoing request (or byte write) the plugin started, as the kit saw it. */
export interface OutgoingRequest {
  readonly seq: number;
  /**
   * How it left: `fetch` (called), `http`/`https` (a request that got a socket), `connect` (any
   * TCP/TLS/IPC client socket) or `write` (bytes on one).
   */
  readonly via: "fetch" | "http" | "https" | "connect" | "write";
  /** `host:port` (or the socket path); never the URL's path or query, which may hold a credential. */
  readonly target: string;
}

export interface NetworkTap {
  /**
   * Requests started and bytes written after `mark` (see sequence.ts). A bare `connect` is not
   * among them: undici reopens a pooled connection after an abort without sending anything.
   */
  since(mark: number): OutgoingRequest[];
  /** Requests (fetch, http, https) to `target` started up to `mark`. */
  requestsTo(target: string, mark: number): number;
  restore(): void;
}

type AnyFn = (...args: unknown[]) => unknown;
interface Patch {
  readonly target: Record<string, unknown>;
  readonly key: string;
  readonly original: unknown;
}

/**
 * Watches every request made in this process through `fetch`, `node:http`, `node:https`, and
 * underneath them every client socket that connects or writes (undici, a captured `fetch`, a
 * raw `net.connect`): module-level interception, wherever the request goes. Server-side
 * sockets (the kit's own receiver) never connect, so they are not counted.
 */
export async function installNetworkTap(): Promise<NetworkTap> {
  const [httpModule, httpsModule, netModule, moduleModule] = await Promise.all([
    import("node:http"),
    import("node:https"),
    import("node:net"),
    import("node:module"),
  ]);
  const http = (httpModule.default ?? httpModule) as unknown as Record<string, unknown>;
  const https = (httpsModule.default ?? httpsModule) as unknown as Record<string, unknown>;
  const net = (netModule.default ?? netModule) as unknown as {
    Socket: { prototype: Record<string, unknown> };
  };
  const syncBuiltinESMExports = (moduleModule.default ?? moduleModule).syncBuiltinESMExports;

  const seen: OutgoingRequest[] = [];
  const record = (via: OutgoingRequest["via"], target: string) => {
    seen.push({ seq: nextSeq(), via, target });
  };
  const clientSockets = new WeakSet<object>();
  const patches: Patch[] = [];
  const patch = (target: Record<string, unknown>, key: string, wrap: (original: AnyFn) => AnyFn) => {
    const original = target[key];
    if (typeof original !== "function") return;
    patches.push({ target, key, original });
    target[key] = wrap(original as AnyFn);
  };

  const globals = globalThis as unknown as Record<string, unknown>;
  patch(
    globals,
    "fetch",
    (original) =>
      function tappedFetch(this: unknown, ...args: unknown[]) {
        // A request whose signal is already aborted is refused before any I/O: it sends nothing.
        if (!signalOf(args[0], args[1])?.aborted) record("fetch", hostOfUrl(args[0]));
        return original.apply(this, args);
      },
  );
  for (const [module, via] of [
    [http, "http"],
    [https, "https"],
  ] as const) {
    for (const key of ["request", "get"]) {
      patch(
        module,
        key,
        (original) =>
          function tappedRequest(this: unknown, ...args: unknown[]) {
            const target = hostOfRequestArgs(args, via === "https" ? 443 : 80);
            const request = original.apply(this, args) as { once?: (event: string, fn: () => void) => void };
            // Counted once it has a socket: a request its agent refuses (a closed transport) or an
            // aborted signal cancels never reaches the wire.
            request?.once?.("socket", () => record(via, target));
            return request;
          },
      );
    }
  }
  const socketPrototype = net.Socket.prototype;
  patch(
    socketPrototype,
    "connect",
    (original) =>
      function tappedConnect(this: object, ...args: unknown[]) {
        clientSockets.add(this);
        record("connect", hostOfConnectArgs(args));
        return original.apply(this, args);
      },
  );
  patch(
    socketPrototype,
    "write",
    (original) =>
      function tappedWrite(this: object, ...args: unknown[]) {
        if (clientSockets.has(this)) record("write", remoteOf(this));
        return original.apply(this, args);
      },
  );
  syncBuiltinESMExports();

  return {
    since: (mark) => seen.filter((r) => r.seq > mark && r.via !== "connect"),
    requestsTo: (target, mark) =>
      seen.filter((r) => r.seq <= mark && r.target === target && r.via !== "connect" && r.via !== "write")
        .length,
    restore() {
      for (const { target, key, original } of patches.reverse()) target[key] = original;
      patches.length = 0;
      syncBuiltinESMExports();
    },
  };
}

function signalOf(input: unknown, init: unknown): AbortSignal | undefined {
  const fromInit = (init as { signal?: AbortSignal } | undefined)?.signal;
  if (fromInit) return fromInit;
  return typeof Request !== "undefined" && input instanceof Request ? input.signal : undefined;
}

function hostOfUrl(input: unknown): string {
  try {
    const href =
      typeof input === "string"
        ? input
        : input instanceof URL
          ? input.href
          : typeof Request !== "undefined" && input instanceof Request
            ? input.url
            : String(input);
    return new URL(href).host;
  } catch {
    return "(unparsable URL)";
  }
}

function hostOfRequestArgs(args: unknown[], defaultPort: number): string {
  const [first, second] = args;
  if (typeof first === "string" || first instanceof URL) return hostOfUrl(first);
  const options = (first ?? second) as
    | { host?: string; hostname?: string; port?: number | string; socketPath?: string }
    | undefined;
  if (options?.socketPath) return options.socketPath;
  const host = options?.hostname ?? options?.host ?? "localhost";
  return `${host}:${options?.port ?? defaultPort}`;
}

function hostOfConnectArgs(args: unknown[]): string {
  // net.connect() hands Socket#connect its already-normalized [options, callback] array.
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (typeof first === "number") return `${typeof args[1] === "string" ? args[1] : "localhost"}:${first}`;
  if (typeof first === "string") return first;
  const options = first as { host?: string; port?: number | string; path?: string } | undefined;
  if (options?.path) return options.path;
  return `${options?.host ?? "localhost"}:${options?.port ?? "?"}`;
}

function remoteOf(socket: object): string {
  const { remoteAddress, remotePort } = socket as { remoteAddress?: string; remotePort?: number };
  return remoteAddress ? `${remoteAddress}:${remotePort}` : "(connecting socket)";
}
