import { createTelemetry, type Telemetry, type TelemetryLogger } from "@pipelex/telemetry-core";
import {
  type PosthogCapturedEvent,
  type PosthogReceiver,
  startPosthogReceiver,
} from "@pipelex/test-receivers";
import { type PosthogDestinationOptions, posthog } from "../src/index.js";

/** What the workflow records; property tests draw these at random. */
export interface WorkflowContent {
  readonly prompt: string;
  readonly completion: string;
  readonly errorMessage: string;
  readonly rootPipeCode: string;
  readonly childPipeCode: string;
  readonly className: string;
}

export const FIXED_CONTENT: WorkflowContent = {
  prompt: "Summarize the contract for jane.doe@example.com",
  completion: "The contract renews yearly.",
  errorMessage: "Prompt too long: 'Summarize the contract for jane.doe@example.com'",
  rootPipeCode: "write_report",
  childPipeCode: "draft_summary",
  className: "ContractSummary",
};

/** A provider error whose message echoes the prompt, with a status and a code, as SDKs throw. */
export class ProviderError extends Error {
  readonly status = 429;
  readonly code = "rate_limit_exceeded";
}

/**
 * Two pipes and three inferences, one failing:
 *   PipeSequence root -> PipeLLM child -> [gpt-4o ok, claude fails] ; root -> image ok.
 */
export async function runWorkflow(
  telemetry: Telemetry,
  content: WorkflowContent = FIXED_CONTENT,
  runId = "run-0001",
): Promise<void> {
  await telemetry.pipeRun(
    { runId, pipeCode: content.rootPipeCode, pipeType: "PipeSequence", pipeCategory: "PipeController" },
    async () => {
      await telemetry.pipeRun(
        { runId, pipeCode: content.childPipeCode, pipeType: "PipeLLM", pipeCategory: "PipeOperator" },
        async () => {
          await telemetry.inference(
            {
              model: "gpt-4o",
              provider: "openai",
              operation: "chat",
              outputType: "json",
              outputClassName: content.className,
              jobId: "job-1",
              params: { temperature: 0.2, maxTokens: 500, seed: 7 },
            },
            async (call) => {
              call.recordInput([{ role: "user", content: content.prompt }]);
              await new Promise((resolve) => setTimeout(resolve, 20));
              call.recordOutput(content.completion);
              call.recordUsage({ inputTokens: 42, outputTokens: 17 });
              call.recordResponseModel("gpt-4o-2024-08-06");
            },
          );
          await telemetry
            .inference(
              {
                model: "claude-sonnet-4",
                provider: "anthropic",
                operation: "chat",
                outputType: "text",
                jobId: "job-2",
              },
              async (call) => {
                call.recordInput(content.prompt);
                throw new ProviderError(content.errorMessage);
              },
            )
            .catch(() => undefined);
        },
      );
      await telemetry.inference(
        {
          model: "gpt-image-1",
          provider: "openai",
          operation: "image_generation",
          outputType: "image",
          params: { width: 1024, height: 768 },
        },
        async (call) => {
          call.recordInput(content.prompt);
          call.recordOutput("https://images.example.com/generated.png");
        },
      );
    },
  );
}

export function receiverOptions(
  receiver: PosthogReceiver,
  overrides: Partial<PosthogDestinationOptions> = {},
): PosthogDestinationOptions {
  return {
    mode: "anonymous",
    endpoint: receiver.url,
    apiKey: receiver.projectKey,
    tracing: { enabled: true },
    fetchRetryDelay: 20,
    flushInterval: 50,
    ...overrides,
  };
}

export interface LogLines extends TelemetryLogger {
  readonly lines: string[];
}

export function captureLogs(): LogLines {
  const lines: string[] = [];
  const push = (m: string) => lines.push(m);
  return { lines, debug: push, info: push, warn: push, error: push };
}

export function telemetryFor(
  options: PosthogDestinationOptions,
  logger: TelemetryLogger = captureLogs(),
): Telemetry {
  // `env: {}`: the machine's DO_NOT_TRACK never leaks into a test.
  return createTelemetry({ env: {}, destinations: [posthog(options)], logger, logLevel: "debug" });
}

export async function withReceiver<T>(
  fn: (receiver: PosthogReceiver) => Promise<T>,
  options: Parameters<typeof startPosthogReceiver>[0] = {},
): Promise<T> {
  const receiver = await startPosthogReceiver(options);
  try {
    return await fn(receiver);
  } finally {
    await receiver.close();
  }
}

/** Every request body, decompressed, as one string (what left the machine). */
export function wireText(receiver: PosthogReceiver): string {
  return receiver.bodies.map((b) => b.toString("utf8")).join("\n");
}

export function byName(events: readonly PosthogCapturedEvent[], name: string): PosthogCapturedEvent[] {
  return events.filter((e) => e.event === name);
}

/** The events of the trace-start kind (span id = trace id). */
export function traceStarts(events: readonly PosthogCapturedEvent[]): PosthogCapturedEvent[] {
  return events.filter(
    (e) => e.event === "$ai_span" && e.properties.$ai_span_id === e.properties.$ai_trace_id,
  );
}
