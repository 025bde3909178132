/**
 * On Node, an undici dispatcher (for fetch's non-standard `dispatcher` option) whose sockets never
 * keep the process alive: a request still in flight when the app's own work is done does not
 * delay its exit (core's `beforeExit` flush gives it a short, bounded chance instead, and counts
 * what is left). Elsewhere, or when the app installed its own global dispatcher (a proxy, say),
 * undefined: fetch's default applies.
 *
 * No Node built-in is imported: `process.getBuiltinModule` (Node >= 20.16) finds net and tls at
 * run time, and the Agent class is the one behind fetch's own global dispatcher.
 */
type Callback = (error: Error | null, socket?: unknown) => void;
interface ConnectOptions {
  readonly hostname: string;
  readonly port: string | number;
  readonly protocol: string;
  readonly servername?: string | null;
}
interface NetSocket {
  setNoDelay(on: boolean): void;
  unref(): void;
  ref: () => unknown;
  once(event: string, listener: (...args: unknown[]) => void): void;
  removeListener(event: string, listener: (...args: unknown[]) => void): void;
}
interface NetModule {
  connect(options: { host: string; port: number }): NetSocket;
  isIP(host: string): number;
}
interface TlsModule {
  connect(options: { host: string; port: number; servername?: string; ALPNProtocols: string[] }): NetSocket;
}

let cached: object | null | undefined;

export function unrefDispatcher(): object | undefined {
  if (cached === undefined) cached = create();
  return cached ?? undefined;
}

function create(): object | null {
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const net = proc?.getBuiltinModule?.("node:net") as NetModule | undefined;
    const tls = proc?.getBuiltinModule?.("node:tls") as TlsModule | undefined;
    if (!net || !tls) return null;
    // Touching Response loads fetch's undici, which installs its global dispatcher.
    void globalThis.Response;
    const global = (globalThis as Record<symbol, unknown>)[Symbol.for("undici.globalDispatcher.1")];
    const Agent = (global as { constructor?: new (options: object) => object } | undefined)?.constructor;
    if (typeof Agent !== "function" || Agent.name !== "Agent") return null;
    return new Agent({ connect: connector(net, tls) });
  } catch {
    return null;
  }
}

function connector(net: NetModule, tls: TlsModule) {
  return (options: ConnectOptions, callback: Callback): NetSocket => {
    const host = options.hostname.replace(/^\[(.*)\]$/, "$1");
    const secure = options.protocol === "https:";
    const port = Number(options.port) || (secure ? 443 : 80);
    const servername = options.servername || (net.isIP(host) ? undefined : host);
    const socket = secure
      ? tls.connect({ host, port, ALPNProtocols: ["http/1.1"], ...(servername ? { servername } : {}) })
      : net.connect({ host, port });
    socket.setNoDelay(true);
    // undici refs a socket while a request is pending; ours never hold the process.
    socket.unref();
    socket.ref = () => socket;
    const onError = (error: unknown) => callback(error as Error);
    socket.once("error", onError);
    socket.once(secure ? "secureConnect" : "connect", () => {
      socket.removeListener("error", onError);
      callback(null, socket);
    });
    return socket;
  };
}
