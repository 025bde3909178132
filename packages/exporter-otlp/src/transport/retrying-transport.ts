import type { ExportResponse, IExporterTransport } from "@opentelemetry/otlp-exporter-base";
import { unref } from "./fetch-transport.js";
import { backoffMs, RETRY_POLICY } from "./retry-policy.js";

export interface RetryingTransportOptions {
  /** Aborting it cancels a pending retry at once (the wait resolves, nothing more is sent). */
  readonly signal: AbortSignal;
  /** Source of jitter; injectable for tests. */
  readonly random?: () => number;
  /** Called before each retry (for debug logs). */
  readonly onRetry?: (retry: number, waitMs: number, response: ExportResponse) => void;
}

/**
 * OpenTelemetry's retry policy (see retry-policy.ts) around a transport, with two differences
 * from `createRetryingTransport` in otlp-exporter-base 0.223.1, whose backoff timer is neither
 * unref'd nor cancellable: a process whose collector is down would stay alive for up to the
 * export timeout after `shutdown()`. Here the wait is unref'd and ends when `signal` aborts.
 */
export function createRetryingTransport(
  inner: IExporterTransport,
  options: RetryingTransportOptions,
): IExporterTransport {
  const random = options.random ?? Math.random;
  return {
    async send(data: Uint8Array, timeoutMillis: number): Promise<ExportResponse> {
      const deadline = Date.now() + timeoutMillis;
      let result = await inner.send(data, timeoutMillis);
      for (let retry = 0; result.status === "retryable" && retry < RETRY_POLICY.maxRetries; retry++) {
        const waitMs = result.retryInMillis ?? backoffMs(retry, random());
        const remaining = deadline - Date.now();
        // As upstream: a retry that would start after the export deadline is not made.
        if (waitMs > remaining || options.signal.aborted) break;
        options.onRetry?.(retry + 1, waitMs, result);
        await wait(waitMs, options.signal);
        if (options.signal.aborted) break;
        result = await inner.send(data, Math.max(1, deadline - Date.now()));
      }
      if (result.status === "retryable") {
        return { status: "failure", error: result.error ?? new Error("export failed after retries") };
      }
      return result;
    },
    shutdown(): void {
      inner.shutdown();
    },
  };
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    unref(timer);
    signal.addEventListener("abort", done, { once: true });
  });
}
