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

export const KEYS = {
  gateway: "pgw_runtime_test_key_0001",
  posthog: "phc_runtime0test0key0001",
  langfusePublic: "pk-lf-runtime-test",
  langfuseSecret: "sk-lf-runtime-test",
} as const;

/** The loopback receivers one runtime exports to, and the environment that points at them. */
export interface Receivers {
  otlp: OtlpReceiver;
  gateway: GatewayReceiver;
  posthog: PosthogReceiver;
  langfuse: LangfuseReceiver;
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startReceivers(runId: string): Promise<Receivers> {
  const [otlp, gateway, posthog, langfuse] = await Promise.all([
    startOtlpReceiver(),
    startGatewayReceiver(),
    startPosthogReceiver({ projectKey: KEYS.posthog }),
    startLangfuseReceiver({ publicKey: KEYS.langfusePublic, secretKey: KEYS.langfuseSecret }),
  ]);
  return {
    otlp,
    gateway,
    posthog,
    langfuse,
    env: {
      RUN_ID: runId,
      OTLP_ENDPOINT: otlp.tracesUrl,
      REMOTE_CONFIG_URL: gateway.remoteConfigUrl,
      GATEWAY_KEY: KEYS.gateway,
      POSTHOG_ENDPOINT: posthog.url,
      POSTHOG_KEY: KEYS.posthog,
      LANGFUSE_ENDPOINT: langfuse.url,
      LANGFUSE_PUBLIC_KEY: KEYS.langfusePublic,
      LANGFUSE_SECRET_KEY: KEYS.langfuseSecret,
    },
    close: async () => {
      await Promise.all([otlp.close(), gateway.close(), posthog.close(), langfuse.close()]);
    },
  };
}

/** What fixtures/workflow.mjs returns from inside the runtime. */
export interface WorkflowResult {
  asyncLocalStorage: boolean;
  complete: boolean;
  exported: Record<string, number>;
  spans: {
    name: string;
    traceId: string;
    parentSpanId: string | null;
    childOfPipe: boolean;
    hasPrompt: boolean;
  }[];
}
