import { defineExporter, displayUrl, PLUGIN_API_VERSION } from "@pipelex/telemetry-core/plugin";
import { resolveConnection } from "./credentials.js";
import { LangfuseExporter } from "./exporter.js";
import {
  DEFAULT_BASE_URL,
  LANGFUSE_ENV,
  type LangfuseDestinationOptions,
  parseLangfuseOptions,
} from "./options.js";
import { basicAuthToken } from "./transport.js";

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/**
 * `[langfuse]` in telemetry.toml, `langfuse({...})` in app code. Full span data by design:
 * Langfuse is the user's own observability store, so no redactor is applied by default
 * (`redact` in app code can still narrow it).
 */
export const langfusePlugin = defineExporter<LangfuseDestinationOptions>({
  name: "langfuse",
  apiVersion: PLUGIN_API_VERSION,
  parseOptions: parseLangfuseOptions,
  isEnabled: (options) => options.enabled,
  defaultRedaction: () => [],
  usesContextFetch: true,
  // Built on the delivery toolkit: no timer or socket of its holds the process, core need not watch.
  neverHoldsProcess: true,
  delivery: (options) =>
    options.flushAt === undefined && options.flushInterval === undefined
      ? undefined
      : {
          maxExportBatchSize: options.flushAt,
          scheduledDelayMillis:
            options.flushInterval === undefined ? undefined : options.flushInterval * 1000,
        },
  secrets: (options) => [
    options.secretKey,
    options.publicKey && options.secretKey ? basicAuthToken(options.publicKey, options.secretKey) : undefined,
  ],
  describe: (options) => ({
    sendsTo:
      options.endpoint !== undefined
        ? displayUrl(options.endpoint)
        : `${LANGFUSE_ENV.BASE_URL}, else ${DEFAULT_BASE_URL}`,
    receives: "full data",
    redacts: [],
    offReason: options.enabled ? undefined : "enabled = false",
    details: {
      environment: options.environment,
      release: options.release,
    },
  }),
  create(options, context) {
    const connection = resolveConnection(options, context.env);
    const token = basicAuthToken(connection.publicKey, connection.secretKey);
    // Keys that came from the environment were unknown when the destination was described.
    context.logger.addSecrets(connection.secretKey, token, `Basic ${token}`);
    return new LangfuseExporter({
      connection,
      // Same variables the Langfuse SDK falls back to, read from the telemetry environment.
      trace: {
        environment: options.environment ?? nonEmpty(context.env[LANGFUSE_ENV.ENVIRONMENT]),
        release: options.release ?? nonEmpty(context.env[LANGFUSE_ENV.RELEASE]),
      },
      spansPerRequest: options.flushAt,
      killSwitch: context.killSwitch,
      shutdownSignal: context.shutdownSignal,
      fetch: context.fetch,
      logger: context.logger,
    });
  },
});
