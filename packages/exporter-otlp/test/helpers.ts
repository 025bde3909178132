import type { Telemetry, TelemetryLogger } from "@pipelex/telemetry-core";

/** A logger that keeps every line, for "no secret in logs" checks. */
export function captureLogger(): TelemetryLogger & { lines: string[] } {
  const lines: string[] = [];
  const push = (line: string) => {
    lines.push(line);
  };
  return { lines, debug: push, info: push, warn: push, error: push };
}

export const PROMPT = "Summarize the contract for ACME";
export const COMPLETION = "The contract renews yearly.";
export const ERROR_MESSAGE = "Prompt too long: 'Summarize the contract for ACME'";

export class ProviderError extends Error {
  readonly status = 400;
  readonly code = "context_length_exceeded";
}

/**
 * One pipe with a successful LLM call (input, output, usage, response model) and a failing
 * one: 3 spans. Resolves when the workflow is done (spans are queued, not yet sent).
 */
export async function runWorkflow(telemetry: Telemetry, runId = "run-otlp-0001"): Promise<void> {
  await telemetry.pipeRun(
    { runId, pipeCode: "summarize", pipeType: "PipeLLM", pipeCategory: "PipeOperator" },
    async () => {
      await telemetry.inference(
        {
          model: "gpt-4o",
          provider: "openai",
          operation: "chat",
          outputType: "text",
          jobId: "job-1",
          params: { temperature: 0.2, maxTokens: 500, seed: 7 },
        },
        async (call) => {
          call.recordInput([{ role: "user", content: PROMPT }]);
          call.recordOutput(COMPLETION);
          call.recordUsage({ inputTokens: 42, outputTokens: 17 });
          call.recordResponseModel("gpt-4o-2024-08-06");
        },
      );
      await telemetry
        .inference(
          { model: "gpt-4o-mini", provider: "openai", operation: "chat", outputType: "text", jobId: "job-2" },
          async () => {
            throw new ProviderError(ERROR_MESSAGE);
          },
        )
        .catch(() => undefined);
    },
  );
}

/** Delivery settings that send at once instead of after OpenTelemetry's 5 s batch delay. */
export const PROMPT_DELIVERY = { scheduledDelayMillis: 10 } as const;
