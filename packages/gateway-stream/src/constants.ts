/** Where the gateway's remote config lives when neither the option nor PIPELEX_REMOTE_CONFIG_URL says otherwise (same document as the Python runtime). */
export const DEFAULT_REMOTE_CONFIG_URL =
  "https://pipelex-config.s3.eu-west-3.amazonaws.com/pipelex_remote_config_13.json";

export const API_KEY_VAR = "PIPELEX_GATEWAY_API_KEY";
export const REMOTE_CONFIG_URL_VAR = "PIPELEX_REMOTE_CONFIG_URL";

/** Bound for fetching the remote config at start. The `startTimeoutMs` option may only lower it. */
export const DEFAULT_START_TIMEOUT_MS = 5000;

/** Destination name in stats and logs. */
export const GATEWAY_DESTINATION_NAME = "pipelex-gateway";

/**
 * Delivery is fixed, not an option: a tiny queue or a huge delay would be a way to switch the
 * stream off. An export starts once 100 spans wait (or every 2 s); under load one takes up to
 * 1000 spans (about 0.5 MB of JSON, far under PostHog's 20 MB batch limit) and up to 4 run at
 * once, so the stream keeps up with 10,000 spans/s against a 50 ms ingest. The queue holds
 * 8192 spans; the export timeout is core's default (30 s).
 */
export const GATEWAY_DELIVERY = {
  maxQueueSize: 8192,
  maxExportBatchSize: 1000,
  exportTriggerSize: 100,
  maxConcurrentExports: 4,
  scheduledDelayMillis: 2000,
} as const;
