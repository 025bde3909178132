import type { Telemetry } from "../telemetry/types.js";

/** A provider error whose message echoes the prompt, as real providers do. */
export class SampleProviderError extends Error {
  readonly status = 400;
  readonly code = "context_length_exceeded";
}

export const SAMPLE_CONTENT = {
  prompt: "Summarize the contract for jane.doe@example.com, card 4111 1111 1111 1111",
  completion: "The contract renews yearly; contact jane.doe@example.com.",
  errorMessage: "Prompt too long: 'Summarize the contract for jane.doe@example.com'",
  pipeCode: "summarize_contract",
  className: "ContractSummary",
} as const;

/**
 * The workflow the demo, `preview` and the conformance suite run: one pipe, one LLM call with a
 * prompt and a completion, and one failing call whose error echoes the prompt.
 */
export async function runSampleWorkflow(telemetry: Telemetry, runId = "run-sample-0001"): Promise<void> {
  await telemetry.pipeRun(
    { runId, pipeCode: SAMPLE_CONTENT.pipeCode, pipeType: "PipeLLM", pipeCategory: "PipeOperator" },
    async () => {
      await telemetry.inference(
        {
          model: "gpt-4o",
          provider: "openai",
          operation: "chat",
          outputType: "json",
          outputClassName: SAMPLE_CONTENT.className,
          jobId: "job-1",
          params: { temperature: 0.2, maxTokens: 500 },
        },
        async (call) => {
          call.recordInput([{ role: "user", content: SAMPLE_CONTENT.prompt }]);
          await Promise.resolve();
          call.recordOutput(SAMPLE_CONTENT.completion);
          call.recordUsage({ inputTokens: 42, outputTokens: 17 });
          call.recordResponseModel("gpt-4o-2024-08-06");
        },
      );
      await telemetry
        .inference(
          { model: "gpt-4o-mini", provider: "openai", operation: "chat", outputType: "text", jobId: "job-2" },
          async (call) => {
            call.recordInput(SAMPLE_CONTENT.prompt);
            throw new SampleProviderError(SAMPLE_CONTENT.errorMessage);
          },
        )
        .catch(() => undefined);
    },
  );
}
