import {
  type DestinationExtras,
  type DestinationSpec,
  defineExporter,
  displayUrl,
  PLUGIN_API_VERSION,
  splitExtras,
} from "@pipelex/telemetry-core/plugin";
import { PosthogSpanExporter } from "./exporter.js";
import {
  deliveryFor,
  isPosthogEnabled,
  type PosthogOptions,
  type PosthogOptionsInput,
  parsePosthogOptions,
  resolveSettings,
} from "./options.js";
import { describePosthogRedaction, posthogRedactionPolicy } from "./policy.js";

/**
 * The plugin: `[custom_posthog]` in telemetry.toml, or `posthog({...})` in app code. The
 * destination is on only when `mode` is not "off" AND `tracing.enabled` is true.
 */
export const posthogPlugin = defineExporter<PosthogOptions>({
  name: "posthog",
  apiVersion: PLUGIN_API_VERSION,
  parseOptions: parsePosthogOptions,
  isEnabled: isPosthogEnabled,
  defaultRedaction: posthogRedactionPolicy,
  delivery: (options) => (isPosthogEnabled(options) ? deliveryFor(resolveSettings(options)) : undefined),
  secrets: (options) => [options.apiKey],
  // posthog-node sends through its `fetch` option, which is the toolkit's, over context.fetch.
  usesContextFetch: true,
  // Built on the delivery toolkit: no timer or socket of its holds the process, core need not watch.
  neverHoldsProcess: true,
  create: (options, context) => new PosthogSpanExporter(resolveSettings(options), context),
  describe: (options) => {
    const redacts = describePosthogRedaction(options);
    return {
      // The origin only: a path or query could hold something private.
      sendsTo: displayUrl(options.endpoint),
      receives: redacts.length > 0 ? "redacted" : "full data",
      redacts,
      offReason:
        options.mode === "off"
          ? 'mode = "off"'
          : options.tracing.enabled
            ? undefined
            : "tracing.enabled = false",
      details: {
        mode: options.mode,
        events: "$ai_generation per inference, $ai_span per pipe, a trace-start $ai_span per trace",
        "distinct id":
          options.mode === "identified"
            ? "the configured user id"
            : "a random id per telemetry instance, no person profile",
        geoip: options.geoip,
      },
    };
  },
});

/** App-code options: the `[custom_posthog]` keys in camelCase, plus `redact` / `delivery`. */
export type PosthogDestinationOptions = PosthogOptionsInput & Partial<DestinationExtras>;

/**
 * A PostHog destination. Pass `mode` and `tracing: { enabled: true }` explicitly: like the TOML
 * file, the defaults are off.
 *
 * ```ts
 * posthog({ mode: "anonymous", endpoint: "https://eu.i.posthog.com", apiKey, tracing: { enabled: true } })
 * ```
 */
export function posthog(options: PosthogDestinationOptions): DestinationSpec {
  const { raw, extras } = splitExtras(options);
  if (extras.delivery === undefined) return posthogPlugin.toDestination(raw, extras);
  // Delivery given in code refines the PostHog-derived settings instead of replacing them, so the
  // export timeout stays above the exporter's retry budget unless it is set explicitly.
  const parsed = parsePosthogOptions(raw);
  const base = isPosthogEnabled(parsed) ? deliveryFor(resolveSettings(parsed)) : {};
  return posthogPlugin.toDestination(raw, { ...extras, delivery: { ...base, ...extras.delivery } });
}
