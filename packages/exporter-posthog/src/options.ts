import {
  type DeliveryOptions,
  joinKeyPath,
  type ParseContext,
  parseOptionsWith,
  requireSecret,
  TelemetryConfigError,
  unresolvedPlaceholder,
  validateEndpoint,
} from "@pipelex/telemetry-core/plugin";
import { z } from "zod";

/** PostHog's US cloud: the default endpoint, as in the Python implementation. */
export const DEFAULT_POSTHOG_ENDPOINT = "https://us.i.posthog.com";

/** Event properties dropped when spans become events, unless `redactProperties` says otherwise. */
export const DEFAULT_REDACT_PROPERTIES = ["prompt", "system_prompt", "response", "file_path", "url"];

const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();
const NOTHING_CAPTURED = { content: false, pipeCodes: false, outputClassNames: false };

/**
 * `posthog({...})` in app code and `[custom_posthog]` in telemetry.toml (core converts the
 * file's snake_case keys): one schema, strict, so unknown keys are errors.
 */
export const posthogOptionsSchema = z.strictObject({
  mode: z.enum(["off", "anonymous", "identified"]).default("off"),
  userId: z.string().min(1).optional(),
  endpoint: z.string().default(DEFAULT_POSTHOG_ENDPOINT),
  apiKey: z.string().optional(),
  geoip: z.boolean().default(true),
  debug: z.boolean().default(false),
  redactProperties: z.array(z.string()).default(DEFAULT_REDACT_PROPERTIES),
  tracing: z
    .strictObject({
      enabled: z.boolean().default(false),
      /** All false = everything redacted. */
      capture: z
        .strictObject({
          /** Prompts, completions, error text. */
          content: z.boolean().default(false),
          contentMaxLength: positiveInt.optional(),
          pipeCodes: z.boolean().default(false),
          outputClassNames: z.boolean().default(false),
          /** Send `$ai_session_id` (code-shaped ids only). Default: off in `anonymous` mode, on in `identified`. */
          sessionIds: z.boolean().optional(),
          /** Send `pipelex_job_id` and job ids in span names (code-shaped only). Same default. */
          jobIds: z.boolean().optional(),
        })
        .default(NOTHING_CAPTURED),
    })
    .default({ enabled: false, capture: NOTHING_CAPTURED }),
  // posthog-node's own queue, batch and retry settings, same names.
  flushAt: positiveInt.optional(),
  flushInterval: nonNegativeInt.optional(),
  maxBatchSize: positiveInt.optional(),
  maxQueueSize: positiveInt.optional(),
  fetchRetryCount: nonNegativeInt.optional(),
  fetchRetryDelay: nonNegativeInt.optional(),
  requestTimeout: positiveInt.optional(),
});
export type PosthogOptionsInput = z.input<typeof posthogOptionsSchema>;
export type PosthogOptions = z.output<typeof posthogOptionsSchema>;

/**
 * posthog-node's own defaults for the settings it shares names with. They keep the meaning a
 * PostHog user expects, but this exporter applies `flushAt`, `flushInterval` and `maxQueueSize`
 * through core's per-destination queue (so its drops are counted), and `fetchRetryCount` /
 * `fetchRetryDelay` through its own retry loop (exponential backoff with jitter, Retry-After).
 */
export const POSTHOG_DEFAULTS = {
  flushAt: 20,
  flushInterval: 5000,
  // posthog-node's own: it serializes a request in one synchronous call, so a larger request is
  // a longer pause of the app's event loop; throughput comes from requests in flight instead.
  maxBatchSize: 100,
  maxQueueSize: 10_000,
  fetchRetryCount: 3,
  fetchRetryDelay: 3000,
  requestTimeout: 10_000,
} as const;

/** Longest wait between two attempts, whatever the backoff or `Retry-After` says. */
export const MAX_RETRY_DELAY_MS = 30_000;

/** The parsed options of an enabled destination: endpoint and key are present and checked. */
export interface ResolvedPosthogSettings {
  readonly mode: "anonymous" | "identified";
  readonly userId: string | undefined;
  readonly host: string;
  readonly apiKey: string;
  readonly geoip: boolean;
  readonly debug: boolean;
  readonly redactProperties: readonly string[];
  readonly flushAt: number;
  readonly flushInterval: number;
  readonly maxBatchSize: number;
  readonly maxQueueSize: number;
  readonly fetchRetryCount: number;
  readonly fetchRetryDelay: number;
  readonly requestTimeout: number;
  /** The longest one export may take, retries included; core's export timeout is set above it. */
  readonly exportBudgetMs: number;
}

/** On when a mode other than "off" is chosen AND tracing is enabled (the TOML defaults are off/false). */
export function isPosthogEnabled(options: PosthogOptions): boolean {
  return options.mode !== "off" && options.tracing.enabled;
}

/**
 * Validates, then, only when the destination is on, requires what sending needs: a valid
 * endpoint (https, or http on loopback; PostHog's US cloud when not given), an API key, and a
 * user id in `identified` mode. A `${VAR}` left in a section that is off is not an error.
 */
export function parsePosthogOptions(raw: unknown, ctx: Partial<ParseContext> = {}): PosthogOptions {
  const file = ctx.file;
  const at = (key: string) => joinKeyPath(ctx.keyPath, key);
  const options = parseOptionsWith(posthogOptionsSchema, raw, { file, keyPath: ctx.keyPath });
  if (!isPosthogEnabled(options)) return options;
  const variable = unresolvedPlaceholder(options.endpoint);
  if (variable !== undefined) {
    throw new TelemetryConfigError(`the endpoint is unresolved: set the environment variable ${variable}`, {
      file,
      keyPath: at("endpoint"),
      expected: "a resolved URL",
    });
  }
  validateEndpoint(options.endpoint, { file, keyPath: at("endpoint") });
  requireSecret(options.apiKey, { file, keyPath: at("apiKey") });
  if (options.mode === "identified" && options.userId === undefined) {
    throw new TelemetryConfigError('mode "identified" needs a user id', {
      file,
      keyPath: at("userId"),
      expected: 'a non-empty user id, or mode "anonymous"',
    });
  }
  return options;
}

/** Jitter is at most +20%, so this bounds every backoff wait. */
export function maxBackoffMs(attempt: number, baseMs: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** attempt) * 1.2;
}

/** Settings for an enabled destination (call after `isPosthogEnabled`). */
export function resolveSettings(options: PosthogOptions): ResolvedPosthogSettings {
  if (options.mode === "off") throw new TelemetryConfigError("PostHog is off", { keyPath: "mode" });
  const d = POSTHOG_DEFAULTS;
  const fetchRetryCount = options.fetchRetryCount ?? d.fetchRetryCount;
  const fetchRetryDelay = options.fetchRetryDelay ?? d.fetchRetryDelay;
  const requestTimeout = options.requestTimeout ?? d.requestTimeout;
  let waits = 0;
  for (let attempt = 0; attempt < fetchRetryCount; attempt++) waits += maxBackoffMs(attempt, fetchRetryDelay);
  return {
    mode: options.mode,
    userId: options.userId,
    host: options.endpoint.trim().replace(/\/+$/, ""),
    apiKey: options.apiKey!,
    geoip: options.geoip,
    debug: options.debug,
    redactProperties: options.redactProperties,
    flushAt: options.flushAt ?? d.flushAt,
    flushInterval: options.flushInterval ?? d.flushInterval,
    maxBatchSize: options.maxBatchSize ?? d.maxBatchSize,
    maxQueueSize: options.maxQueueSize ?? d.maxQueueSize,
    fetchRetryCount,
    fetchRetryDelay,
    requestTimeout,
    // Every attempt may use a full request timeout, plus the waits between attempts.
    exportBudgetMs: Math.ceil((fetchRetryCount + 1) * requestTimeout + waits),
  };
}

/**
 * Core's queue carries posthog-node's queue settings: `flushAt` spans make a batch, a partial
 * batch leaves after `flushInterval` ms, and at most `maxQueueSize` spans wait (overflow is
 * counted as `dropped.queueFull`). Core's export timeout sits above this exporter's own budget,
 * so the exporter always answers first and nothing is counted twice.
 */
export function deliveryFor(settings: ResolvedPosthogSettings): DeliveryOptions {
  return {
    maxQueueSize: settings.maxQueueSize,
    // `flushAt` starts an export early, as in posthog-node; under load one export takes up to
    // MAX_SPANS_PER_EXPORT (sent as several `maxBatchSize` requests in parallel), two at once.
    exportTriggerSize: Math.min(settings.flushAt, settings.maxQueueSize),
    maxExportBatchSize: Math.min(Math.max(settings.flushAt, MAX_SPANS_PER_EXPORT), settings.maxQueueSize),
    maxConcurrentExports: 2,
    scheduledDelayMillis: settings.flushInterval,
    exportTimeoutMillis: settings.exportBudgetMs + 2000,
  };
}

/** The most spans one export takes when the queue is backed up (throughput, see README). */
export const MAX_SPANS_PER_EXPORT = 1000;
