import { createTelemetry, type DestinationSpec, type Telemetry } from "@pipelex/telemetry-core";
import { otlp } from "@pipelex/telemetry-exporter-otlp";
import { posthog } from "@pipelex/telemetry-exporter-posthog";

/**
 * The app's telemetry, composed in code rather than from `.pipelex/telemetry.toml`: each
 * destination is on when its variables are set. Extra destinations (a test's, your own) are added.
 */
export function appTelemetry(
  env: Record<string, string | undefined>,
  extra: DestinationSpec[] = [],
): Telemetry {
  const destinations: DestinationSpec[] = [...extra];
  if (env.OTLP_ENDPOINT) {
    destinations.push(otlp({ name: "collector", endpoint: env.OTLP_ENDPOINT, protocol: "http/json" }));
  }
  if (env.POSTHOG_API_KEY) {
    destinations.push(
      posthog({
        mode: "anonymous",
        endpoint: env.POSTHOG_ENDPOINT,
        apiKey: env.POSTHOG_API_KEY,
        tracing: { enabled: true },
      }),
    );
  }
  return createTelemetry({ destinations, env });
}
