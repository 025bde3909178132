import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";

/** Timers created by telemetry never keep the process alive. */
export function unrefTimer(timer: ReturnType<typeof setTimeout>): void {
  (timer as { unref?: () => void }).unref?.();
}

/** Resolves after `ms`, without holding the process open. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    unrefTimer(timer);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/**
 * Calls `exporter.export` and resolves with its result, or with a failure after `timeoutMs`.
 * A callback that arrives late, twice, or a throw from `export` is absorbed. The callback and the
 * timer do not reach `spans`: once the exporter is done with them (serialized, say), they can be
 * collected while the request is still in flight.
 */
export function exportWithTimeout(
  exporter: SpanExporter,
  spans: ReadableSpan[],
  timeoutMs: number,
): Promise<ExportResult> {
  const { result, settle } = settleOnce(timeoutMs);
  try {
    exporter.export(spans, settle);
  } catch (error) {
    settle({
      code: ExportResultCode.FAILED,
      error: error instanceof Error ? error : new Error(String(error)),
    });
  }
  return result;
}

/** A result settled once: by `settle`, or by a failure after `timeoutMs` (unref'd timer). */
function settleOnce(timeoutMs: number): { result: Promise<ExportResult>; settle: (r: ExportResult) => void } {
  let settled = false;
  let resolveResult!: (r: ExportResult) => void;
  const result = new Promise<ExportResult>((resolve) => {
    resolveResult = resolve;
  });
  const settle = (value: ExportResult) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    resolveResult(value);
  };
  const timer = setTimeout(
    () =>
      settle({
        code: ExportResultCode.FAILED,
        error: new Error(`export did not answer within ${timeoutMs} ms`),
      }),
    timeoutMs,
  );
  unrefTimer(timer);
  return { result, settle };
}

/**
 * Resolves with `true` if `work` settles within `ms`, `false` otherwise. Never rejects.
 * `holdProcess`: for deadlines the app explicitly awaits (flush, shutdown). They are bounded, so
 * holding the event loop until then is safe, and without it Node would exit mid-await.
 * `signal`: aborting it resolves `false` at once and clears the timer, so a wait that shutdown
 * gave up on no longer holds the process.
 */
export function settlesWithin(
  work: Promise<unknown>,
  ms: number,
  options: { holdProcess?: boolean; signal?: AbortSignal } = {},
): Promise<boolean> {
  return new Promise((resolve) => {
    const signal = options.signal;
    const finish = (value: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve(value);
    };
    const onAbort = () => finish(false);
    const timer = setTimeout(() => finish(false), Math.max(0, ms));
    if (!options.holdProcess) unrefTimer(timer);
    if (signal?.aborted) return finish(false);
    signal?.addEventListener("abort", onAbort, { once: true });
    work.then(
      () => finish(true),
      () => finish(true),
    );
  });
}
