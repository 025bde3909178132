import { z } from "zod";

/**
 * Options of the first-party destinations, in camelCase. The TOML loader converts each
 * section's snake_case keys and validates with the same schema, so `posthog({...})` in app
 * code and `[custom_posthog]` in telemetry.toml are one thing. Strict: unknown keys are errors.
 */

const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();

export const posthogCaptureSchema = z.strictObject({
  /** Prompts, completions, error text. */
  content: z.boolean().default(false),
  contentMaxLength: positiveInt.optional(),
  pipeCodes: z.boolean().default(false),
  outputClassNames: z.boolean().default(false),
});

export const posthogOptionsSchema = z.strictObject({
  mode: z.enum(["off", "anonymous", "identified"]).default("off"),
  userId: z.string().min(1).optional(),
  endpoint: z.string().optional(),
  apiKey: z.string().optional(),
  geoip: z.boolean().default(true),
  debug: z.boolean().default(false),
  redactProperties: z.array(z.string()).default(["prompt", "system_prompt", "response", "file_path", "url"]),
  tracing: z
    .strictObject({
      enabled: z.boolean().default(false),
      capture: posthogCaptureSchema.default({
        content: false,
        pipeCodes: false,
        outputClassNames: false,
      }),
    })
    .default({ enabled: false, capture: { content: false, pipeCodes: false, outputClassNames: false } }),
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

export const langfuseOptionsSchema = z.strictObject({
  enabled: z.boolean().default(false),
  endpoint: z.string().default("https://cloud.langfuse.com"),
  publicKey: z.string().optional(),
  secretKey: z.string().optional(),
  environment: z.string().optional(),
  release: z.string().optional(),
  flushAt: positiveInt.optional(),
  flushInterval: nonNegativeInt.optional(),
});
export type LangfuseOptionsInput = z.input<typeof langfuseOptionsSchema>;
export type LangfuseOptions = z.output<typeof langfuseOptionsSchema>;

export const otlpOptionsSchema = z.strictObject({
  name: z.string().min(1),
  /** Defaults to OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces, then localhost:4318. */
  endpoint: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  protocol: z.enum(["http/protobuf", "http/json"]).optional(),
  compression: z.enum(["none", "gzip"]).optional(),
  timeoutMs: positiveInt.optional(),
});
export type OtlpOptionsInput = z.input<typeof otlpOptionsSchema>;
export type OtlpOptions = z.output<typeof otlpOptionsSchema>;

export const gatewayOptionsSchema = z.strictObject({
  apiKey: z.string().optional(),
  endpoint: z.string().optional(),
  projectKey: z.string().optional(),
  remoteConfigUrl: z.string().optional(),
});
export type GatewayOptionsInput = z.input<typeof gatewayOptionsSchema>;
