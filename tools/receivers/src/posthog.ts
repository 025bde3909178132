import {
  type HttpReceiver,
  type ReceiverReply,
  type RecordedRequest,
  startHttpReceiver,
} from "./http-receiver.js";

/**
 * A loopback stand-in for PostHog's batch capture API (`POST {host}/batch/`), checking what a
 * client sends the way PostHog's capture service would. posthog-node 5.x sends
 * `{ api_key, batch: [{ event, distinct_id, properties, timestamp, uuid, ... }], sent_at }`
 * as JSON, gzipped with `Content-Encoding: gzip` unless compression is disabled; `$ai_*`
 * events go to `/batch/` through `capture()` and to `/i/v0/ai/batch/` through `captureAi()`.
 */

/** One event as PostHog's capture service would ingest it. */
export interface PosthogCapturedEvent {
  readonly event: string;
  readonly distinct_id: string;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly timestamp?: string;
  readonly uuid?: string;
  /** Every other field the client put on the event, as sent. */
  readonly extra: Readonly<Record<string, unknown>>;
}

export interface PosthogBatch {
  /** `api_key` (or `token`, which PostHog also accepts) at the top level. */
  readonly apiKey: string | undefined;
  readonly sentAt?: string;
  readonly events: readonly PosthogCapturedEvent[];
}

/** A body PostHog would refuse with 400; `message` says which field and why. */
export class PosthogBatchError extends Error {
  override readonly name = "PosthogBatchError";
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// ISO 8601 date-time with an explicit offset or Z, as PostHog's capture parses it.
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
/** PostHog truncates longer event names and rejects longer distinct ids. */
const MAX_DISTINCT_ID_LENGTH = 200;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isIsoTimestamp(value: unknown): value is string {
  return typeof value === "string" && ISO_TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value));
}

function parseEvent(raw: unknown, index: number): PosthogCapturedEvent {
  const at = `batch[${index}]`;
  if (!isPlainObject(raw)) throw new PosthogBatchError(`${at} is not an object`);
  const { event, distinct_id, properties, timestamp, uuid, ...extra } = raw;
  if (typeof event !== "string" || event.length === 0)
    throw new PosthogBatchError(`${at}.event must be a non-empty string`);
  if (typeof distinct_id !== "string" || distinct_id.trim().length === 0) {
    throw new PosthogBatchError(`${at}.distinct_id must be a non-empty string`);
  }
  if (distinct_id.length > MAX_DISTINCT_ID_LENGTH)
    throw new PosthogBatchError(`${at}.distinct_id is longer than ${MAX_DISTINCT_ID_LENGTH}`);
  if (!isPlainObject(properties)) throw new PosthogBatchError(`${at}.properties must be an object`);
  if (timestamp !== undefined && !isIsoTimestamp(timestamp))
    throw new PosthogBatchError(`${at}.timestamp must be an ISO 8601 string`);
  if (uuid !== undefined && (typeof uuid !== "string" || !UUID.test(uuid)))
    throw new PosthogBatchError(`${at}.uuid must be a UUID`);
  return {
    event,
    distinct_id,
    properties,
    ...(timestamp !== undefined ? { timestamp: timestamp as string } : {}),
    ...(uuid !== undefined ? { uuid: uuid as string } : {}),
    extra,
  };
}

/**
 * Parses and validates a decompressed `/batch/` body. Throws `PosthogBatchError` for anything
 * PostHog's capture would answer 400 to: not JSON, not an object, no non-empty `batch` array, or
 * an event without a non-empty string `event`/`distinct_id`, an object `properties`, an ISO
 * `timestamp` (if present) or a UUID `uuid` (if present). The key is returned, not checked.
 */
export function parsePosthogBatch(body: Buffer): PosthogBatch {
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    throw new PosthogBatchError("body is not valid JSON");
  }
  if (!isPlainObject(json)) throw new PosthogBatchError("body is not a JSON object");
  const { batch, api_key, token, sent_at } = json;
  if (!Array.isArray(batch)) throw new PosthogBatchError("batch must be an array");
  if (batch.length === 0) throw new PosthogBatchError("batch is empty");
  if (sent_at !== undefined && sent_at !== null && !isIsoTimestamp(sent_at))
    throw new PosthogBatchError("sent_at must be an ISO 8601 string");
  const key = typeof api_key === "string" ? api_key : typeof token === "string" ? token : undefined;
  return {
    apiKey: key,
    ...(typeof sent_at === "string" ? { sentAt: sent_at } : {}),
    events: batch.map(parseEvent),
  };
}

/** How the receiver answered one request, with what it accepted. */
export interface PosthogExchange {
  readonly request: RecordedRequest;
  readonly status: number;
  /** Events of this request, when it parsed; accepted only when `status` is 2xx. */
  readonly events: readonly PosthogCapturedEvent[];
  /** Why the request was refused (400/401/404/405/413 or a scripted reply). */
  readonly error?: string;
}

export interface PosthogReceiverOptions {
  /** The project key `api_key` must equal; anything else gets 401. Default `phc_test_project_key`. */
  projectKey?: string;
  /** Decompressed bodies larger than this get 413, like PostHog's body limit. Default: no limit. */
  maxBodyBytes?: number;
  /** Paths treated as batch capture. Default `/batch/`, `/batch` and `/i/v0/ai/batch/`. */
  paths?: readonly string[];
  port?: number;
}

export interface PosthogReceiver {
  /** `http://127.0.0.1:PORT`: pass it as the PostHog host. */
  readonly url: string;
  readonly port: number;
  readonly projectKey: string;
  /** Every request, in arrival order, with the reply it got. */
  readonly exchanges: readonly PosthogExchange[];
  /** Every decompressed request body, accepted or not: search these for leaks. */
  readonly bodies: readonly Buffer[];
  /** Events from requests answered 2xx, in arrival order (a retried batch appears once per success). */
  readonly events: readonly PosthogCapturedEvent[];
  /** The underlying recording server. */
  readonly http: HttpReceiver;
  /** Replies used first, one per batch request, whatever the body (e.g. a 500, then recover). */
  queueReplies(...replies: ReceiverReply[]): void;
  /** Changes the 413 limit from now on; `undefined` removes it. */
  setMaxBodyBytes(bytes: number | undefined): void;
  /** Resolves once `count` accepted events (matching `filter`) have arrived. */
  waitForEvents(
    count: number,
    options?: { timeoutMs?: number; filter?: (e: PosthogCapturedEvent) => boolean },
  ): Promise<PosthogCapturedEvent[]>;
  /** Resolves once `count` requests have arrived (accepted or not). */
  waitForRequests(count: number, options?: { timeoutMs?: number }): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

function jsonReply(status: number, body: Record<string, unknown>): ReceiverReply {
  return { status, body: JSON.stringify(body) };
}

/** Starts a PostHog-wire receiver on 127.0.0.1 (port 0 unless given). */
export async function startPosthogReceiver(options: PosthogReceiverOptions = {}): Promise<PosthogReceiver> {
  const projectKey = options.projectKey ?? "phc_test_project_key";
  const paths = new Set(options.paths ?? ["/batch/", "/batch", "/i/v0/ai/batch/"]);
  let maxBodyBytes = options.maxBodyBytes;
  const scripted: ReceiverReply[] = [];
  const exchanges: PosthogExchange[] = [];
  const bodies: Buffer[] = [];
  const events: PosthogCapturedEvent[] = [];
  const waiters = new Set<() => void>();

  const record = (
    request: RecordedRequest,
    reply: ReceiverReply,
    parsed: readonly PosthogCapturedEvent[],
    error?: string,
  ): ReceiverReply => {
    exchanges.push({
      request,
      status: reply.status,
      events: parsed,
      ...(error !== undefined ? { error } : {}),
    });
    if (reply.status >= 200 && reply.status < 300) events.push(...parsed);
    for (const wake of waiters) wake();
    return reply;
  };

  const decide = (request: RecordedRequest): ReceiverReply => {
    bodies.push(request.body);
    if (!paths.has(request.path))
      return record(request, jsonReply(404, { detail: "Not found" }), [], `unknown path ${request.path}`);
    if (request.method !== "POST")
      return record(
        request,
        jsonReply(405, { detail: "Method not allowed" }),
        [],
        `method ${request.method}`,
      );
    // PostHog applies its body limit to the decompressed body.
    if (maxBodyBytes !== undefined && request.body.length > maxBodyBytes) {
      return record(
        request,
        jsonReply(413, { type: "validation_error", code: "payload_too_large" }),
        [],
        `body of ${request.body.length} bytes`,
      );
    }
    let batch: PosthogBatch;
    try {
      batch = parsePosthogBatch(request.body);
    } catch (error) {
      const detail = error instanceof PosthogBatchError ? error.message : "invalid payload";
      return record(
        request,
        jsonReply(400, { type: "validation_error", code: "invalid_payload", detail }),
        [],
        detail,
      );
    }
    const scriptedReply = scripted.shift();
    if (scriptedReply)
      return record(request, scriptedReply, batch.events, `scripted ${scriptedReply.status}`);
    if (batch.apiKey !== projectKey) {
      // The detail never echoes the key that was sent.
      return record(
        request,
        jsonReply(401, {
          type: "authentication_error",
          code: "invalid_api_key",
          detail: "Project API key invalid.",
        }),
        [],
        "wrong api_key",
      );
    }
    return record(request, jsonReply(200, { status: 1 }), batch.events);
  };

  const http = await startHttpReceiver({
    reply: decide,
    ...(options.port !== undefined ? { port: options.port } : {}),
  });

  return {
    url: http.url,
    port: http.port,
    projectKey,
    exchanges,
    bodies,
    events,
    http,
    queueReplies: (...replies) => scripted.push(...replies),
    setMaxBodyBytes: (bytes) => {
      maxBodyBytes = bytes;
    },
    waitForEvents(count, { timeoutMs = 10_000, filter = () => true } = {}) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const matching = events.filter(filter);
          if (matching.length < count) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(matching);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `expected ${count} accepted event(s) within ${timeoutMs} ms, got ${events.filter(filter).length}`,
            ),
          );
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    waitForRequests: (count, waitOptions) => http.waitForRequests(count, waitOptions),
    close: () => {
      waiters.clear();
      return http.close();
    },
  };
}
