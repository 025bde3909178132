import {
  type DestinationExtras,
  type DestinationSpec,
  defineExporter,
  type PosthogOptions,
  type PosthogOptionsInput,
  posthogRedactionPolicy,
  splitExtras,
} from "@pipelex/telemetry-core/plugin";
import { PosthogSpanExporter } from "./exporter.js";
import { deliveryFor, isPosthogEnabled, parsePosthogOptions, resolveSettings } from "./options.js";

/**
 * The plugin: `[custom_posthog]` in telemetry.toml, or `posthog({...})` in app code. The
 * destination is on only when `mode` is not "off" AND `tracing.enabled` is true.
 */
export const posthogPlugin = defineExporter<PosthogOptions>({
  name: "posthog",
  apiVersion: 1,
  parseOptions: (raw, source) => parsePosthogOptions(raw, source),
  isEnabled: isPosthogEnabled,
  // Core applies it to this destination's own copy of each span before export() sees it.
  defaultRedaction: (options) => posthogRedactionPolicy(options),
  delivery: (options) => (isPosthogEnabled(options) ? deliveryFor(resolveSettings(options)) : undefined),
  secrets: (options) => [options.apiKey],
  create: (options, context) => new PosthogSpanExporter(resolveSettings(options), context),
  describe: (options) => {
    const capture = options.tracing.capture;
    return {
      mode: options.mode,
      tracing: options.tracing.enabled,
      // The host only: a path or query could hold something private.
      endpoint: safeHost(options.endpoint),
      geoip: options.geoip,
      sends: "$ai_generation per inference, $ai_span per pipe, a trace-start $ai_span per trace",
      redacts: [
        ...(capture.content
          ? capture.contentMaxLength !== undefined
            ? [`content truncated to ${capture.contentMaxLength} characters`]
            : []
          : ["content (prompts, completions, error messages)"]),
        ...(capture.pipeCodes ? [] : ["pipe codes"]),
        ...(capture.outputClassNames ? [] : ["output class names"]),
        ...(options.redactProperties.length > 0
          ? [`properties: ${options.redactProperties.join(", ")}`]
          : []),
      ],
      distinctId:
        options.mode === "identified"
          ? "the configured user id"
          : "a random id per telemetry instance, no person profile",
    };
  },
});

function safeHost(endpoint: string | undefined): string | undefined {
  if (endpoint === undefined) return undefined;
  try {
    const url = new URL(endpoint);
    return `${url.protocol}//${url.host}`;
  } catch {
    return "(not a URL)";
  }
}

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
