import { context } from "@opentelemetry/api";
import { suppressTracing } from "@opentelemetry/core";
import type { ExportResponse, IExporterTransport } from "@opentelemetry/otlp-exporter-base";
import { OTLPExporterError } from "@opentelemetry/otlp-exporter-base";
import { gzip } from "./gzip.js";
import { isRetryableStatus, parseRetryAfterMs } from "./retry-policy.js";

export interface FetchTransportOptions {
  readonly url: string;
  /** Static headers, already merged from options and environment. */
  readonly headers: Readonly<Record<string, string>>;
  readonly contentType: "application/x-protobuf" | "application/json";
  readonly compression: "none" | "gzip";
  readonly userAgent: string;
  /** Aborted when telemetry gives up (shutdown deadline, kill switch): in-flight requests stop. */
  readonly signal: AbortSignal;
}

/** How much of an error body is kept on the error (collectors answer a short google.rpc.Status). */
const MAX_ERROR_BODY_CHARS = 512;

/**
 * One OTLP/HTTP POST per call, with globalThis.fetch: status classification as the official
 * exporter does it (2xx success; 429/502/503/504 and network errors retryable, with
 * Retry-After; everything else, redirects included, a failure). Redirects are not followed, so
 * auth headers never reach another host. Timers are unref'd and the request aborts with the
 * telemetry's signal.
 */
export function createFetchTransport(options: FetchTransportOptions): IExporterTransport {
  const headers: Record<string, string> = {
    ...options.headers,
    "Content-Type": options.contentType,
    "User-Agent": options.userAgent,
  };
  if (options.compression === "gzip") headers["Content-Encoding"] = "gzip";

  return {
    async send(data: Uint8Array, timeoutMillis: number): Promise<ExportResponse> {
      if (options.signal.aborted) return aborted();
      const attempt = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        attempt.abort();
      }, timeoutMillis);
      unref(timer);
      const onAbort = () => attempt.abort();
      options.signal.addEventListener("abort", onAbort, { once: true });
      try {
        const body = options.compression === "gzip" ? await gzip(data) : data;
        // Suppressed so a host app's fetch/undici instrumentation does not trace our own exports.
        const response = await context.with(suppressTracing(context.active()), () =>
          fetch(options.url, { method: "POST", headers, body, signal: attempt.signal, redirect: "manual" }),
        );
        const payload = new Uint8Array(await response.arrayBuffer());
        if (response.status >= 200 && response.status <= 299) return { status: "success", data: payload };
        if (isRetryableStatus(response.status)) {
          return {
            status: "retryable",
            retryInMillis: parseRetryAfterMs(response.headers.get("retry-after")),
            error: new OTLPExporterError(`HTTP ${response.status}`, response.status),
          };
        }
        return {
          status: "failure",
          error: new OTLPExporterError(
            `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`,
            response.status,
            new TextDecoder().decode(payload).slice(0, MAX_ERROR_BODY_CHARS),
          ),
        };
      } catch (error) {
        if (options.signal.aborted) return aborted();
        if (timedOut)
          return { status: "retryable", error: new Error(`request timed out after ${timeoutMillis} ms`) };
        // fetch rejects with a TypeError for network failures (refused, reset, DNS): retryable, as in OTel.
        if (error instanceof TypeError) return { status: "retryable", error: networkError(error) };
        return { status: "failure", error: error instanceof Error ? error : new Error(String(error)) };
      } finally {
        clearTimeout(timer);
        options.signal.removeEventListener("abort", onAbort);
      }
    },
    shutdown(): void {
      // Nothing to release: fetch keeps no socket of ours open once a request settles.
    },
  };
}

function aborted(): ExportResponse {
  return { status: "failure", error: new Error("export aborted: telemetry stopped this destination") };
}

/** "fetch failed" says little; the cause's code (ECONNREFUSED, ...) is what helps. Never the URL. */
function networkError(error: TypeError): Error {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  const code = cause && typeof cause.code === "string" ? cause.code : undefined;
  return new Error(`network error${code ? ` (${code})` : ""}`, { cause: error });
}

export function unref(timer: ReturnType<typeof setTimeout>): void {
  (timer as { unref?: () => void }).unref?.();
}
