import {
  type HttpReceiver,
  type ReceiverReply,
  type RecordedRequest,
  type ReplyFn,
  startHttpReceiver,
} from "./http-receiver.js";
import {
  type PosthogBatch,
  PosthogBatchError,
  type PosthogCapturedEvent,
  parsePosthogBatch,
} from "./posthog.js";

/**
 * A stand-in for the Pipelex Gateway's telemetry hosts on 127.0.0.1: the remote config JSON
 * (`{ "posthog": { "endpoint", "project_api_key" } }`) at `configPath`, and PostHog's batch
 * capture API at `/batch/`, which checks bodies with `parsePosthogBatch` (as PostHog's capture
 * would: 400 for a malformed body, 401 for another project key) and answers 200 `{"status":1}`.
 */
export interface GatewayReceiverOptions {
  /** Default `/pipelex_remote_config.json`. */
  configPath?: string;
  /** The project key the ingest accepts and the default remote config announces. Default `phc_gateway_test_project`. */
  projectKey?: string;
  /** The remote config document; default points the ingest at this receiver. Given the receiver's URL. */
  remoteConfig?: (receiverUrl: string) => unknown;
  /** Overrides the reply to ingest requests that passed validation (e.g. a scripted 503). */
  ingestReply?: ReplyFn;
  /** Overrides the reply to remote config requests (e.g. a hang or a 500). */
  configReply?: ReplyFn;
  /**
   * Default true. False answers every request with `Connection: close`, so no server-side
   * keep-alive socket outlives a test that counts the process's open handles.
   */
  keepAlive?: boolean;
}

export interface GatewayReceiver {
  readonly url: string;
  readonly remoteConfigUrl: string;
  /** What the default remote config announces as `posthog.endpoint` (this receiver). */
  readonly ingestEndpoint: string;
  readonly projectKey: string;
  /** Every request, both hosts, in order. */
  readonly requests: RecordedRequest[];
  configRequests(): RecordedRequest[];
  ingestRequests(): RecordedRequest[];
  /** Events of every accepted batch, in order. */
  events(): PosthogCapturedEvent[];
  /** Scripted replies for the next ingest requests (after validation), used before `ingestReply`. */
  queueIngestReplies(...replies: ReceiverReply[]): void;
  queueConfigReplies(...replies: ReceiverReply[]): void;
  /** Resolves once `count` events were accepted. */
  waitForEvents(count: number, options?: { timeoutMs?: number }): Promise<PosthogCapturedEvent[]>;
  close(): Promise<void>;
}

export async function startGatewayReceiver(options: GatewayReceiverOptions = {}): Promise<GatewayReceiver> {
  const configPath = options.configPath ?? "/pipelex_remote_config.json";
  const projectKey = options.projectKey ?? "phc_gateway_test_project";
  const accepted: PosthogCapturedEvent[] = [];
  const ingestQueue: ReceiverReply[] = [];
  const configQueue: ReceiverReply[] = [];
  const eventWaiters = new Set<() => void>();
  let url = "";

  const reply: ReplyFn = async (request) => {
    if (request.path === configPath && request.method === "GET") {
      const scripted = configQueue.shift() ?? (await options.configReply?.(request));
      if (scripted) return scripted;
      const document = options.remoteConfig?.(url) ?? {
        posthog: { endpoint: url, project_api_key: projectKey },
      };
      return { status: 200, body: JSON.stringify(document) };
    }
    if (request.path === "/batch/" || request.path === "/batch") {
      if (request.method !== "POST")
        return { status: 405, body: JSON.stringify({ error: "method not allowed" }) };
      let batch: PosthogBatch;
      try {
        batch = parsePosthogBatch(request.body);
      } catch (error) {
        const detail = error instanceof PosthogBatchError ? error.message : "invalid payload";
        return { status: 400, body: JSON.stringify({ type: "validation_error", detail }) };
      }
      if (batch.apiKey !== projectKey) {
        return {
          status: 401,
          body: JSON.stringify({ type: "authentication_error", detail: "Project API key invalid" }),
        };
      }
      const scripted = ingestQueue.shift() ?? (await options.ingestReply?.(request));
      if (scripted && (scripted.status < 200 || scripted.status >= 300)) return scripted;
      accepted.push(...batch.events);
      for (const wake of eventWaiters) wake();
      return scripted ?? { status: 200, body: JSON.stringify({ status: 1 }) };
    }
    return { status: 404, body: JSON.stringify({ error: "not found" }) };
  };

  const closing: ReplyFn = async (request) => {
    const answer = (await reply(request)) ?? { status: 200, body: "{}" };
    return { ...answer, headers: { ...answer.headers, connection: "close" } };
  };
  const http: HttpReceiver = await startHttpReceiver({
    reply: options.keepAlive === false ? closing : reply,
  });
  url = http.url;
  const isConfig = (r: RecordedRequest) => r.path === configPath;
  const isIngest = (r: RecordedRequest) => r.path === "/batch/" || r.path === "/batch";

  return {
    url,
    remoteConfigUrl: `${url}${configPath}`,
    ingestEndpoint: url,
    projectKey,
    requests: http.requests,
    configRequests: () => http.requests.filter(isConfig),
    ingestRequests: () => http.requests.filter(isIngest),
    events: () => [...accepted],
    queueIngestReplies: (...replies) => ingestQueue.push(...replies),
    queueConfigReplies: (...replies) => configQueue.push(...replies),
    waitForEvents(count, { timeoutMs = 10_000 } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (accepted.length < count) return false;
          eventWaiters.delete(check);
          clearTimeout(timer);
          resolve([...accepted]);
          return true;
        };
        const timer = setTimeout(() => {
          eventWaiters.delete(check);
          reject(new Error(`expected ${count} event(s) within ${timeoutMs} ms, got ${accepted.length}`));
        }, timeoutMs);
        if (!check()) eventWaiters.add(check);
      });
    },
    close: () => http.close(),
  };
}
