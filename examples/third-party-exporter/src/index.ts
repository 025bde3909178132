import { dropContent } from "@pipelex/telemetry-core";
import {
  type DestinationExtras,
  defineExporter,
  PLUGIN_API_VERSION,
  splitExtras,
} from "@pipelex/telemetry-core/plugin";
import { type ParsedWebhookOptions, parseWebhookOptions, type WebhookOptions } from "./options.js";
import { RETRYABLE_STATUSES, WebhookExporter } from "./webhook-exporter.js";

/** The plugin: what `[[exporters]] package = "pipelex-telemetry-exporter-example"` loads. */
const plugin = defineExporter<ParsedWebhookOptions>({
  name: "webhook",
  apiVersion: PLUGIN_API_VERSION,
  parseOptions: parseWebhookOptions,
  secrets: (options) => [options.authToken],
  defaultRedaction: (options) => (options.includeContent ? [] : [dropContent()]),
  describe: (options) => ({
    sendsTo: new URL(options.endpoint).origin,
    receives: options.includeContent ? "full data" : "redacted",
    redacts: options.includeContent ? [] : ["content (prompts, completions, error messages)"],
  }),
  retryableStatuses: RETRYABLE_STATUSES,
  // Every request goes through context.fetch (the toolkit's transport).
  usesContextFetch: true,
  // Built on the toolkit, whose timers and sockets are unref'd: core need not watch its handles.
  neverHoldsProcess: true,
  create: (options, context) => new WebhookExporter(options, context),
});
export default plugin;

/** The same plugin for app code: `createTelemetry({ destinations: [webhook({ endpoint, authToken })] })`. */
export function webhook(options: WebhookOptions & DestinationExtras) {
  const { raw, extras } = splitExtras(options);
  return plugin.toDestination(raw, extras);
}

export type { WebhookOptions };
export { RETRYABLE_STATUSES };
