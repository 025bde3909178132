import { delay } from "@pipelex/telemetry-core/plugin";
import { backoffDelayMs, isRetryableStatus, parseRetryAfterMs, type RetryPolicy } from "./retry-policy.js";
import { TimeoutError, timeoutSignal } from "./signals.js";

export interface SendRequest {
  readonly url: string;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Aborts the send (in-flight request and backoff waits): core's shutdown / kill-switch signal. */
  readonly signal?: AbortSignal;
}

export type SendResult =
  | { readonly ok: true; readonly status: number; readonly attempts: number }
  | {
      readonly ok: false;
      readonly attempts: number;
      /** Last HTTP status, when the server answered. */
      readonly status?: number;
      /** Plain words, no URL query, no body, no header: safe to log. */
      readonly reason: string;
    };

/** Seams for tests of the sender itself; the gateway uses the defaults. */
export interface SenderClock {
  readonly random?: () => number;
  readonly now?: () => number;
}

/**
 * POSTs a JSON body with globalThis.fetch, retrying network errors and 429/502/503/504 with
 * exponential backoff and jitter (a `Retry-After` answer sets the wait instead), never other
 * statuses, each attempt bounded by `requestTimeoutMs` and the whole send by `totalBudgetMs`.
 * Never throws.
 */
export async function sendWithRetry(
  request: SendRequest,
  policy: RetryPolicy,
  clock: SenderClock = {},
): Promise<SendResult> {
  const now = clock.now ?? Date.now;
  const deadline = now() + policy.totalBudgetMs;
  let attempts = 0;
  let lastStatus: number | undefined;
  let lastReason = "was not attempted";
  while (attempts < policy.maxAttempts) {
    if (request.signal?.aborted)
      return { ok: false, attempts, status: lastStatus, reason: "aborted (shutdown or kill switch)" };
    const remaining = deadline - now();
    if (remaining <= 0) break;
    attempts++;
    const outcome = await attempt(request, Math.min(policy.requestTimeoutMs, remaining));
    if (outcome.kind === "answered" && outcome.status >= 200 && outcome.status < 300) {
      return { ok: true, status: outcome.status, attempts };
    }
    if (outcome.kind === "aborted")
      return { ok: false, attempts, status: lastStatus, reason: outcome.reason };
    if (outcome.kind === "answered") {
      lastStatus = outcome.status;
      lastReason = `answered HTTP ${outcome.status}`;
      if (!isRetryableStatus(outcome.status))
        return { ok: false, attempts, status: lastStatus, reason: lastReason };
    } else {
      lastReason = outcome.reason;
    }
    if (attempts >= policy.maxAttempts) break;
    const retryAfter = outcome.kind === "answered" ? parseRetryAfterMs(outcome.retryAfter, now()) : undefined;
    const wait = retryAfter ?? backoffDelayMs(policy, attempts, clock.random);
    // Waiting past the budget only to give up would hold the export for nothing.
    if (now() + wait >= deadline) {
      lastReason +=
        retryAfter !== undefined ? ` (Retry-After ${retryAfter} ms exceeds the retry budget)` : "";
      break;
    }
    await delay(wait, request.signal);
  }
  return { ok: false, attempts, status: lastStatus, reason: `${lastReason} after ${attempts} attempt(s)` };
}

type AttemptOutcome =
  | { kind: "answered"; status: number; retryAfter: string | null }
  | { kind: "network"; reason: string }
  | { kind: "aborted"; reason: string };

async function attempt(request: SendRequest, timeoutMs: number): Promise<AttemptOutcome> {
  const timeout = timeoutSignal(timeoutMs, request.signal);
  try {
    const response = await globalThis.fetch(request.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...request.headers },
      body: request.body,
      signal: timeout.signal,
    });
    // Read the body so the connection can be reused; its text is never logged (it may echo input).
    await response.arrayBuffer().catch(() => undefined);
    return { kind: "answered", status: response.status, retryAfter: response.headers.get("retry-after") };
  } catch (error) {
    if (timeout.signal.aborted) {
      const reason = timeout.signal.reason;
      // A timeout is worth a retry; an abort from the caller (shutdown) is final.
      if (reason instanceof TimeoutError) return { kind: "network", reason: `request ${reason.message}` };
      return { kind: "aborted", reason: "aborted (shutdown or kill switch)" };
    }
    return { kind: "network", reason: describeNetworkError(error) };
  } finally {
    timeout.dispose();
  }
}

/** `fetch failed (ECONNREFUSED)`: the error's name and system code, never a URL or a message that may hold one. */
export function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  const code =
    typeof cause?.code === "string" && /^[A-Z0-9_]{1,40}$/.test(cause.code) ? ` (${cause.code})` : "";
  return `network error${code}`;
}
