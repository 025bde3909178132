import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";

/** One request as the receiver saw it, body already decompressed. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** Bytes on the wire. */
  readonly rawBody: Buffer;
  /** Decompressed per Content-Encoding (or PostHog's `compression=gzip-js` query). */
  readonly body: Buffer;
  readonly receivedAt: number;
}

export interface ReceiverReply {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Hold the reply this long (to simulate a slow or hanging service). */
  delayMs?: number;
}

/** Decides the reply; returning undefined means 200 with an empty JSON object. */
export type ReplyFn = (
  request: RecordedRequest,
) => ReceiverReply | undefined | Promise<ReceiverReply | undefined>;

export interface HttpReceiver {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Replies queued here are used first, one per request, before the reply function. */
  queueReplies(...replies: ReceiverReply[]): void;
  /** Resolves once `count` requests have arrived (matching `filter`), rejects after `timeoutMs`. */
  waitForRequests(
    count: number,
    options?: { timeoutMs?: number; filter?: (r: RecordedRequest) => boolean },
  ): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

export function decompress(raw: Buffer, encoding: string | undefined): Buffer {
  switch ((encoding ?? "").toLowerCase()) {
    case "gzip":
      return gunzipSync(raw);
    case "deflate":
      return inflateSync(raw);
    case "br":
      return brotliDecompressSync(raw);
    default:
      return raw;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/**
 * A loopback HTTP server that records every request and answers with queued replies or a
 * reply function. Sockets are closed on `close()`, so a test process exits promptly.
 */
export async function startHttpReceiver(
  options: { reply?: ReplyFn; port?: number } = {},
): Promise<HttpReceiver> {
  const requests: RecordedRequest[] = [];
  const queued: ReceiverReply[] = [];
  const waiters = new Set<() => void>();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const rawBody = await readBody(req);
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      let body: Buffer;
      try {
        const encoding =
          req.headers["content-encoding"] ??
          (url.searchParams.get("compression") === "gzip-js" ? "gzip" : undefined);
        body = decompress(rawBody, Array.isArray(encoding) ? encoding[0] : encoding);
      } catch {
        res
          .writeHead(400, { "content-type": "application/json" })
          .end(JSON.stringify({ error: "bad compression" }));
        return;
      }
      const recorded: RecordedRequest = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        rawBody,
        body,
        receivedAt: Date.now(),
      };
      requests.push(recorded);
      for (const wake of waiters) wake();
      const reply = queued.shift() ?? (await options.reply?.(recorded)) ?? { status: 200, body: "{}" };
      if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
      if (res.destroyed) return;
      res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
      res.end(reply.body ?? "");
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    queueReplies: (...replies) => queued.push(...replies),
    waitForRequests(count, { timeoutMs = 10_000, filter = () => true } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const matching = requests.filter(filter);
          if (matching.length >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(matching);
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `expected ${count} request(s) within ${timeoutMs} ms, got ${requests.filter(filter).length}`,
            ),
          );
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
