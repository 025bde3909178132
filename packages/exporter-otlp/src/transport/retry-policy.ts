import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "@pipelex/telemetry-core/plugin";

/**
 * The retry policy of the official OTLP exporters (otlp-exporter-base 0.223.1), as the delivery
 * toolkit's default: one attempt, then up to 5 retries on 429/502/503/504 and on every failure
 * to get an answer (refused, reset, timeout, half a body, garbage), 1 s initial backoff x1.5 per
 * retry capped at 5 s, +-20 % jitter, `Retry-After` first, and no retry past the export timeout.
 */
export const RETRY_POLICY: RetryPolicy = {
  ...DEFAULT_RETRY_POLICY,
  retryableStatuses: [429, 502, 503, 504],
};
