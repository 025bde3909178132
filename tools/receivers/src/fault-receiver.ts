import { createServer, type Server, type Socket } from "node:net";
import { decompress } from "./http-receiver.js";

/**
 * What the receiver does with one request. Faults are what real endpoints do when they are down,
 * overloaded or not what the client thinks they are.
 */
export type Fault =
  /** 200 `{}` (after `delayMs`: a slow service). */
  | { readonly kind: "ok"; readonly delayMs?: number }
  /** Any status, with an optional `Retry-After` value. */
  | {
      readonly kind: "status";
      readonly status: number;
      readonly retryAfter?: string;
      readonly delayMs?: number;
    }
  /** Reads the request and never answers (the socket stays open until close()). */
  | { readonly kind: "hang" }
  /** Reads the request and resets the connection. */
  | { readonly kind: "reset" }
  /** Answers 200 with a Content-Length of 1000 and 10 bytes, then closes. */
  | { readonly kind: "half-body" }
  /** Answers bytes that are not HTTP, then closes. */
  | { readonly kind: "garbage" };

export interface FaultRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Decompressed per Content-Encoding. */
  readonly body: Buffer;
  readonly receivedAt: number;
  /** The fault it was answered with. */
  readonly fault: Fault;
}

export interface FaultReceiver {
  readonly url: string;
  readonly port: number;
  readonly requests: FaultRequest[];
  /** Sets the fault for the next requests: one for all, or a function of the request's index (0-based). */
  setFault(fault: Fault | ((index: number) => Fault)): void;
  close(): Promise<void>;
}

const REASONS: Readonly<Record<number, string>> = {
  200: "OK",
  413: "Payload Too Large",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/**
 * A loopback endpoint (raw TCP, so it can misbehave below HTTP) that records each request and
 * answers it with the current fault. Every socket is destroyed on close().
 */
export async function startFaultReceiver(initial: Fault = { kind: "ok" }): Promise<FaultReceiver> {
  const requests: FaultRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let faultFor: (index: number) => Fault = () => initial;

  const answer = (socket: Socket, fault: Fault) => {
    if (socket.destroyed) return;
    switch (fault.kind) {
      case "hang":
        return;
      case "reset":
        socket.resetAndDestroy();
        return;
      case "garbage":
        socket.end("\x00\x01garbage, not HTTP at all\r\n\r\n");
        return;
      case "half-body":
        socket.end(
          'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"status":',
        );
        return;
      case "ok":
      case "status": {
        const status = fault.kind === "ok" ? 200 : fault.status;
        const body = status === 200 ? "{}" : JSON.stringify({ error: `status ${status}` });
        const retryAfter =
          fault.kind === "status" && fault.retryAfter !== undefined
            ? `retry-after: ${fault.retryAfter}\r\n`
            : "";
        socket.write(
          `HTTP/1.1 ${status} ${REASONS[status] ?? "Status"}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${retryAfter}connection: keep-alive\r\n\r\n${body}`,
        );
      }
    }
  };

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let buffer = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf("\r\n\r\n");
        if (end < 0) return;
        const head = buffer.subarray(0, end).toString("latin1").split("\r\n");
        const [method = "", path = ""] = (head[0] ?? "").split(" ");
        const headers: Record<string, string> = {};
        for (const line of head.slice(1)) {
          const colon = line.indexOf(":");
          if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
        const framed = /\bchunked\b/i.test(headers["transfer-encoding"] ?? "")
          ? dechunk(buffer, end + 4)
          : contentOf(buffer, end + 4, Number(headers["content-length"] ?? 0));
        if (!framed) return; // the rest of the body is still to come
        const raw = framed.body;
        buffer = buffer.subarray(framed.next);
        let body: Buffer;
        try {
          body = decompress(Buffer.from(raw), headers["content-encoding"]);
        } catch {
          body = Buffer.from(raw);
        }
        const fault = faultFor(requests.length);
        requests.push({ method, path, headers, body, receivedAt: Date.now(), fault });
        const delayMs = fault.kind === "ok" || fault.kind === "status" ? (fault.delayMs ?? 0) : 0;
        if (delayMs > 0) {
          const timer = setTimeout(() => {
            timers.delete(timer);
            answer(socket, fault);
          }, delayMs);
          timers.add(timer);
        } else answer(socket, fault);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    setFault(fault) {
      faultFor = typeof fault === "function" ? fault : () => fault;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A Content-Length body starting at `start`, once it has all arrived. */
function contentOf(
  buffer: Buffer,
  start: number,
  length: number,
): { body: Buffer; next: number } | undefined {
  return buffer.length < start + length
    ? undefined
    : { body: buffer.subarray(start, start + length), next: start + length };
}

/**
 * A `Transfer-Encoding: chunked` body starting at `start`, once its last chunk and trailer have
 * arrived (Node's http client sends a body this way when it has no Content-Length).
 */
function dechunk(buffer: Buffer, start: number): { body: Buffer; next: number } | undefined {
  const parts: Buffer[] = [];
  let at = start;
  for (;;) {
    const lineEnd = buffer.indexOf("\r\n", at);
    if (lineEnd < 0) return undefined;
    const size = Number.parseInt(buffer.subarray(at, lineEnd).toString("latin1").split(";")[0] ?? "", 16);
    // Not a chunk size: the framing is broken; what came is one request, and nothing follows it.
    if (!Number.isFinite(size)) return { body: Buffer.concat(parts), next: buffer.length };
    if (size === 0) {
      // The last chunk: then trailer lines, if any, and an empty line.
      const end = buffer.indexOf("\r\n\r\n", lineEnd);
      return end < 0 ? undefined : { body: Buffer.concat(parts), next: end + 4 };
    }
    if (buffer.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

/** A loopback URL where nothing listens (a port just released): connections are refused. */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
