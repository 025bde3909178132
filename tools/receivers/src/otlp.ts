import {
  type HttpReceiver,
  type ReceiverReply,
  type RecordedRequest,
  startHttpReceiver,
} from "./http-receiver.js";
import {
  type DecodedTraceRequest,
  decodeTraceRequest,
  flattenSpans,
  type OtlpEncoding,
  type OtlpSpan,
  otlpEncodingOf,
} from "./otlp-decode.js";

/** One OTLP/HTTP export request that decoded, and what the receiver answered. */
export interface OtlpExportRequest {
  readonly request: RecordedRequest;
  readonly encoding: OtlpEncoding;
  readonly decoded: DecodedTraceRequest;
  readonly spans: readonly OtlpSpan[];
  /** The HTTP status the receiver answered with. */
  readonly status: number;
}

/** A request the receiver turned away (bad path, media type or body), like a collector would. */
export interface OtlpRejectedRequest {
  readonly request: RecordedRequest;
  readonly status: number;
  readonly reason: string;
}

/** Scripted answer for a decoded export; undefined means success. */
export type OtlpReplyFn = (request: Omit<OtlpExportRequest, "status">) => ReceiverReply | undefined;

export interface OtlpReceiver {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `http://127.0.0.1:PORT/v1/traces` */
  readonly tracesUrl: string;
  readonly port: number;
  /** Every request that decoded, in arrival order, whatever it was answered. */
  readonly exports: OtlpExportRequest[];
  readonly rejected: OtlpRejectedRequest[];
  /** The underlying recorder (raw bytes, headers, arrival times). */
  readonly http: HttpReceiver;
  /** Replies used first, one per decoded export, before the reply function (e.g. 503, 503, then success). */
  queueReplies(...replies: ReceiverReply[]): void;
  /** Spans of the exports that were answered 2xx: what a collector kept. */
  acceptedSpans(): OtlpSpan[];
  /** Resolves once `count` decoded exports arrived (answered anything), rejects after `timeoutMs`. */
  waitForExports(count: number, options?: { timeoutMs?: number }): Promise<OtlpExportRequest[]>;
  /** Resolves once at least `count` spans were accepted, rejects after `timeoutMs`. */
  waitForAcceptedSpans(count: number, options?: { timeoutMs?: number }): Promise<OtlpSpan[]>;
  close(): Promise<void>;
}

const SUCCESS_BODY: Record<OtlpEncoding, { contentType: string; body: string | Buffer }> = {
  // An ExportTraceServiceResponse with no partial_success encodes to zero bytes.
  protobuf: { contentType: "application/x-protobuf", body: Buffer.alloc(0) },
  json: { contentType: "application/json", body: "{}" },
};

/**
 * An OTLP/HTTP trace receiver on 127.0.0.1 that decodes every request with the official OTLP
 * protobuf definitions (and the OTLP JSON mapping for `application/json`), like a collector:
 * 404 off `/v1/traces`, 405 for non-POST, 415 for other media types, 400 for a body that does
 * not decode. Decoded requests get queued replies first, then the reply function, then 200.
 */
export async function startOtlpReceiver(
  options: { reply?: OtlpReplyFn; port?: number; path?: string } = {},
): Promise<OtlpReceiver> {
  const path = options.path ?? "/v1/traces";
  const exports: OtlpExportRequest[] = [];
  const rejected: OtlpRejectedRequest[] = [];
  const queued: ReceiverReply[] = [];
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of [...waiters]) waiter();
  };

  const reject = (request: RecordedRequest, status: number, reason: string): ReceiverReply => {
    rejected.push({ request, status, reason });
    return { status, headers: { "content-type": "text/plain" }, body: reason };
  };

  const http = await startHttpReceiver({
    port: options.port,
    reply: (request) => {
      if (request.path !== path) return reject(request, 404, `no OTLP signal at ${request.path}`);
      if (request.method !== "POST") return reject(request, 405, "OTLP/HTTP accepts POST only");
      const contentType = request.headers["content-type"];
      const encoding = otlpEncodingOf(Array.isArray(contentType) ? contentType[0] : contentType);
      if (!encoding) return reject(request, 415, "unsupported media type");
      let decoded: DecodedTraceRequest;
      try {
        decoded = decodeTraceRequest(request.body, encoding);
      } catch (error) {
        return reject(request, 400, (error as Error).message);
      }
      const partial = { request, encoding, decoded, spans: flattenSpans(decoded) };
      const reply = queued.shift() ??
        options.reply?.(partial) ?? {
          status: 200,
          headers: { "content-type": SUCCESS_BODY[encoding].contentType },
          body: SUCCESS_BODY[encoding].body,
        };
      exports.push({ ...partial, status: reply.status });
      wake();
      return reply;
    },
  });

  const accepted = () => exports.filter((e) => e.status >= 200 && e.status < 300).flatMap((e) => e.spans);

  function waitFor<T>(ready: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = ready();
        if (value === undefined) return false;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(value);
        return true;
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(describe()));
      }, timeoutMs);
      if (!check()) waiters.add(check);
    });
  }

  return {
    url: http.url,
    tracesUrl: `${http.url}${path}`,
    port: http.port,
    exports,
    rejected,
    http,
    queueReplies: (...replies) => queued.push(...replies),
    acceptedSpans: accepted,
    waitForExports: (count, { timeoutMs = 10_000 } = {}) =>
      waitFor(
        () => (exports.length >= count ? [...exports] : undefined),
        timeoutMs,
        () => `expected ${count} OTLP export(s) within ${timeoutMs} ms, got ${exports.length}`,
      ),
    waitForAcceptedSpans: (count, { timeoutMs = 10_000 } = {}) =>
      waitFor(
        () => {
          const spans = accepted();
          return spans.length >= count ? spans : undefined;
        },
        timeoutMs,
        () => `expected ${count} accepted span(s) within ${timeoutMs} ms, got ${accepted().length}`,
      ),
    close: () => http.close(),
  };
}
