import type { KillSwitch } from "../../kill-switch/kill-switch.js";
import { waitUnlessStopped } from "./abort-scope.js";
import { DeliveryError } from "./describe-error.js";
import type { HttpOutcome, HttpTransport } from "./http-transport.js";

/** How a plugin retries. Each plugin declares its own `retryableStatuses` (and documents them). */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  readonly initialBackoffMs: number;
  readonly backoffMultiplier: number;
  readonly maxBackoffMs: number;
  /** ±fraction applied to each backoff (0.2 = ±20 %), so many processes do not retry in step. */
  readonly jitter: number;
  /** HTTP statuses worth another attempt; every other non-2xx status is final. */
  readonly retryableStatuses: readonly number[];
}

/** OpenTelemetry's OTLP exporter policy (otlp-exporter-base 0.223.1): 1 + 5 attempts, 1 s x1.5 capped at 5 s, ±20 %. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 5,
  initialBackoffMs: 1000,
  backoffMultiplier: 1.5,
  maxBackoffMs: 5000,
  jitter: 0.2,
  retryableStatuses: [429, 502, 503, 504],
};

/** One attempt's verdict. `retryable` failures are tried again while the policy and deadline allow. */
export type AttemptResult<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      readonly error: Error;
      readonly retryable: boolean;
      readonly retryAfterMs?: number;
    };

export type RetryResult<T> =
  | { readonly ok: true; readonly value: T; readonly attempts: number }
  | {
      readonly ok: false;
      readonly error: Error;
      readonly attempts: number;
      /** True when shutdown or the kill switch stopped it (nothing more was sent). */
      readonly stopped: boolean;
    };

export interface RetryOptions {
  readonly policy?: RetryPolicy;
  /** Epoch ms: no attempt starts and no wait ends after it (the export deadline). */
  readonly deadline: number;
  /** Core's shutdownSignal: a pending retry is cancelled at once. */
  readonly signal?: AbortSignal | undefined;
  /** Engaged by any route: a pending retry is cancelled, nothing more is sent. */
  readonly killSwitch?: KillSwitch | undefined;
  readonly random?: () => number;
  /** Before each retry (for debug logs). */
  readonly onRetry?: (info: { retry: number; waitMs: number; error: Error }) => void;
}

/** The wait before retry number `retry` (0-based), given a random number in [0, 1). */
export function backoffMs(policy: RetryPolicy, retry: number, random: number): number {
  const base = policy.initialBackoffMs * policy.backoffMultiplier ** retry;
  const jitter = random * (2 * policy.jitter) - policy.jitter;
  return Math.max(0, Math.min(base * (1 + jitter), policy.maxBackoffMs));
}

/** `Retry-After` in ms: whole (or decimal) seconds, or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * Runs `attempt` until it succeeds, fails for good, the policy's retries are used up, or the
 * deadline would pass: exponential backoff with jitter, a server's `Retry-After` taking
 * precedence, no wait that would end after the deadline. Each attempt gets the time left.
 * Shutdown and the kill switch (re-read during waits, so DO_NOT_TRACK appearing in the
 * environment counts) cancel a pending retry at once. Waits never hold the process.
 */
export async function withRetry<T>(
  attempt: (remainingMs: number, attemptNumber: number) => Promise<AttemptResult<T>>,
  options: RetryOptions,
): Promise<RetryResult<T>> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const random = options.random ?? Math.random;
  const stopped = () => options.signal?.aborted === true || options.killSwitch?.isEngaged() === true;
  let attempts = 0;
  // Made only when no attempt ran: an Error captures a stack, too dear for every batch.
  let lastError: Error | undefined;
  const errorSoFar = () => lastError ?? new DeliveryError("aborted", "(not attempted)");
  for (let retry = 0; ; retry++) {
    if (stopped()) return { ok: false, error: errorSoFar(), attempts, stopped: true };
    const remaining = options.deadline - Date.now();
    if (remaining <= 0) break;
    attempts++;
    const result = await attempt(remaining, attempts);
    if (result.ok) return { ok: true, value: result.value, attempts };
    lastError = result.error;
    if (isAborted(result.error) || stopped()) return { ok: false, error: lastError, attempts, stopped: true };
    if (!result.retryable || retry >= policy.maxRetries) break;
    const waitMs = result.retryAfterMs ?? backoffMs(policy, retry, random());
    // As OpenTelemetry: a retry that would start after the deadline is not made.
    if (Date.now() + waitMs >= options.deadline) break;
    options.onRetry?.({ retry: retry + 1, waitMs, error: result.error });
    const waited = await waitUnlessStopped(waitMs, {
      signals: [options.signal],
      killSwitch: options.killSwitch,
    });
    if (!waited) return { ok: false, error: errorSoFar(), attempts, stopped: true };
  }
  return { ok: false, error: errorSoFar(), attempts, stopped: false };
}

function isAborted(error: Error): boolean {
  return error instanceof DeliveryError && error.kind === "aborted";
}

/**
 * An HTTP outcome as a retry verdict: 2xx succeeds; a status in `retryableStatuses` and every
 * failure to get a proper answer (refused, reset, timeout, DNS, half a body, garbage) are
 * retried; other statuses, TLS errors and aborts are final.
 */
export function classifyHttpOutcome(
  outcome: HttpOutcome,
  retryableStatuses: readonly number[],
): AttemptResult<HttpOutcome> {
  if (outcome.ok) return { ok: true, value: outcome };
  if (outcome.status !== undefined) {
    return {
      ok: false,
      error: outcome.error,
      retryable: retryableStatuses.includes(outcome.status),
      ...(outcome.retryAfterMs !== undefined ? { retryAfterMs: outcome.retryAfterMs } : {}),
    };
  }
  const kind = outcome.error.kind;
  return {
    ok: false,
    error: outcome.error,
    retryable: kind !== "TLS error" && kind !== "aborted" && kind !== "port blocked by fetch",
  };
}

/**
 * `transport.send(body)` under `withRetry`: each attempt bounded by the transport's timeout and
 * the time left before the deadline.
 */
export function sendWithRetry(
  transport: HttpTransport,
  body: Uint8Array | string,
  options: RetryOptions,
): Promise<RetryResult<HttpOutcome>> {
  const statuses = (options.policy ?? DEFAULT_RETRY_POLICY).retryableStatuses;
  return withRetry(
    async (remainingMs) =>
      classifyHttpOutcome(
        await transport.send(body, { timeoutMs: remainingMs, signal: options.signal }),
        statuses,
      ),
    options,
  );
}
