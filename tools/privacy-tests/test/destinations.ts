import { createTelemetry, type Telemetry } from "@pipelex/telemetry-core";
import { langfuse } from "@pipelex/telemetry-exporter-langfuse";
import { otlp } from "@pipelex/telemetry-exporter-otlp";
import { posthog } from "@pipelex/telemetry-exporter-posthog";
import { gatewayStream } from "@pipelex/telemetry-gateway-stream";
import {
  type GatewayReceiver,
  type LangfuseReceiver,
  type OtlpReceiver,
  type PosthogReceiver,
  startGatewayReceiver,
  startLangfuseReceiver,
  startOtlpReceiver,
  startPosthogReceiver,
} from "@pipelex/test-receivers";

/** Every secret a first-party destination declares, each distinctive enough to search for. */
export const SECRETS = {
  posthogApiKey: "phc_privacyPosthogKey0123456789",
  gatewayApiKey: "pgw_privacyGatewayKey0123456789",
  gatewayProjectKey: "phc_privacyGatewayProject012345",
  langfusePublicKey: "pk-lf-privacy-public-0123",
  langfuseSecretKey: "sk-lf-privacySecretKey0123456789",
  otlpToken: "otlpPrivacyToken0123456789abcdef",
} as const;

export const LANGFUSE_BASIC = Buffer.from(
  `${SECRETS.langfusePublicKey}:${SECRETS.langfuseSecretKey}`,
).toString("base64");

export interface Receivers {
  posthog: PosthogReceiver;
  gateway: GatewayReceiver;
  otlp: OtlpReceiver;
  langfuse: LangfuseReceiver;
  close(): Promise<void>;
}

export async function startReceivers(): Promise<Receivers> {
  const [ph, gw, col, lf] = await Promise.all([
    startPosthogReceiver({ projectKey: SECRETS.posthogApiKey }),
    startGatewayReceiver({ projectKey: SECRETS.gatewayProjectKey }),
    startOtlpReceiver(),
    startLangfuseReceiver({ publicKey: SECRETS.langfusePublicKey, secretKey: SECRETS.langfuseSecretKey }),
  ]);
  return {
    posthog: ph,
    gateway: gw,
    otlp: col,
    langfuse: lf,
    close: async () => {
      await Promise.all([ph.close(), gw.close(), col.close(), lf.close()]);
    },
  };
}

/** One telemetry with every first-party destination: PostHog as shipped (anonymous, defaults), the gateway, and two full-data stores. */
export function telemetryWithAll(r: Receivers): Telemetry {
  return createTelemetry({
    env: {},
    logLevel: "silent",
    destinations: [
      posthog({
        mode: "anonymous",
        endpoint: r.posthog.url,
        apiKey: SECRETS.posthogApiKey,
        tracing: { enabled: true },
      }),
      gatewayStream({
        apiKey: SECRETS.gatewayApiKey,
        endpoint: r.gateway.ingestEndpoint,
        projectKey: SECRETS.gatewayProjectKey,
        env: {},
      }),
      otlp({
        name: "collector",
        endpoint: r.otlp.tracesUrl,
        headers: { Authorization: `Bearer ${SECRETS.otlpToken}` },
      }),
      langfuse({
        enabled: true,
        endpoint: r.langfuse.url,
        publicKey: SECRETS.langfusePublicKey,
        secretKey: SECRETS.langfuseSecretKey,
      }),
    ],
  });
}

/** Where each receiver's recording stands, to read only what one run sent. */
export function mark(r: Receivers) {
  return {
    posthog: r.posthog.bodies.length,
    gateway: r.gateway.requests.length,
    otlp: r.otlp.exports.length,
    langfuse: r.langfuse.exports.length,
  };
}

/**
 * What each destination received since `from`: the decompressed request bodies (for PostHog and
 * the gateway the JSON, minus the `api_key` envelope field, which is where a PostHog body must
 * carry its own project key), and for OTLP/Langfuse the decoded spans and resource as JSON.
 */
export function receivedSince(r: Receivers, from: ReturnType<typeof mark>) {
  const withoutEnvelopeKey = (body: Buffer) => {
    const parsed = JSON.parse(body.toString("utf8")) as { api_key?: unknown };
    delete parsed.api_key;
    return JSON.stringify(parsed);
  };
  const ingest = r.gateway.requests.slice(from.gateway).filter((q) => q.path.includes("batch"));
  return {
    posthog: r.posthog.bodies.slice(from.posthog).map(withoutEnvelopeKey).join("\n"),
    gateway: ingest.map((q) => withoutEnvelopeKey(q.body)).join("\n"),
    otlp: JSON.stringify(r.otlp.exports.slice(from.otlp).map((e) => e.decoded)),
    langfuse: JSON.stringify(r.langfuse.exports.slice(from.langfuse).map((e) => e.decoded)),
  };
}
