import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { nextSeq } from "./sequence.js";

/** Where the plugin should send: pass `options: (receiver) => ({ endpoint: receiver.url, ... })`. */
export interface ConformanceReceiver {
  /** `http://127.0.0.1:<port>`, no trailing slash. Any path and method is accepted. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
}

/**
 * How the receiver answers: `accept` 200 `{}`; `fail` 503 with `Retry-After: 1` (so a
 * well-behaved plugin schedules a retry); `hold` never answers (a request stays in flight
 * until the client gives up or the kit releases it).
 */
export type ReceiverMode = "accept" | "fail" | "hold";

export interface ReceivedRequest {
  readonly seq: number;
  /** Set once the receiver answered it. */
  answered?: boolean;
  /** When the client closed the connection before an answer (an aborted in-flight request). */
  abortedSeq?: number;
}

export interface KitReceiver extends ConformanceReceiver {
  mode: ReceiverMode;
  readonly requests: readonly ReceivedRequest[];
  since(mark: number): ReceivedRequest[];
  /** Server-side sockets still open (they are the kit's handles, not the plugin's). */
  openConnections(): number;
  /** Answers every held request with 503. */
  release(): void;
  close(): Promise<void>;
}

/** The loopback endpoint the kit points the plugin at, to see what reaches the wire. */
export async function startKitReceiver(): Promise<KitReceiver> {
  const { createServer } = await import("node:http");
  const requests: ReceivedRequest[] = [];
  const held = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  let mode: ReceiverMode = "accept";

  const answer = (res: ServerResponse, status: number, headers: Record<string, string> = {}) => {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(status === 200 ? "{}" : '{"error":"unavailable"}');
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const entry: ReceivedRequest = { seq: nextSeq() };
    requests.push(entry);
    const modeAtArrival = mode;
    res.on("finish", () => {
      entry.answered = true;
    });
    res.on("close", () => {
      held.delete(res);
      if (!res.writableFinished) entry.abortedSeq = nextSeq();
    });
    req.resume();
    req.on("end", () => {
      if (modeAtArrival === "accept") answer(res, 200);
      else if (modeAtArrival === "fail") answer(res, 503, { "retry-after": "1" });
      else held.add(res);
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as { port: number };

  const release = () => {
    for (const res of held) answer(res, 503);
    held.clear();
  };

  return {
    url: `http://127.0.0.1:${port}`,
    host: "127.0.0.1",
    port,
    get mode() {
      return mode;
    },
    set mode(next: ReceiverMode) {
      mode = next;
    },
    requests,
    since: (mark) => requests.filter((r) => r.seq > mark),
    openConnections: () => sockets.size,
    release,
    close() {
      release();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
