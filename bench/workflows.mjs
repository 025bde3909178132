// The same workflow three ways: bare OpenTelemetry by hand (the baseline), Pipelex telemetry,
// and no telemetry at all. Each run: one pipe span with one LLM-call span carrying the same
// attributes, prompt and completion; the callback does the same small piece of host work.
import { ROOT_CONTEXT, SpanKind, trace } from "@opentelemetry/api";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";

export const PROMPT = [{ role: "user", content: "Summarize this contract in three bullet points, please." }];
export const COMPLETION = "1. Renews yearly. 2. Thirty days notice. 3. Paris jurisdiction.";

/** Host work every variant does: build the request body and await the (already answered) call. */
export async function hostWork(i) {
  const body = JSON.stringify({ model: "gpt-4o", messages: PROMPT, n: i & 7 });
  await Promise.resolve();
  return body.length;
}

/** An exporter that accepts and discards: the cost measured is the SDK's, not the network's. */
export const discardingExporter = () => ({
  export(_spans, done) {
    done({ code: 0 });
  },
  shutdown: async () => {},
  forceFlush: async () => {},
});

export function createBaseline() {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "pipelex", "service.namespace": "ai.orchestration" }),
    spanProcessors: [new BatchSpanProcessor(discardingExporter())],
  });
  const tracer = provider.getTracer("baseline");
  async function workflow(i) {
    const pipe = tracer.startSpan(
      "PipeLLM: summarize",
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          "pipelex.span.category": "pipe",
          "pipelex.pipeline.run_id": "run-1",
          "pipelex.pipe.code": "summarize",
          "pipelex.pipe.type": "PipeLLM",
          "pipelex.pipe.category": "PipeOperator",
        },
      },
      ROOT_CONTEXT,
    );
    const call = tracer.startSpan(
      "summarize: (gpt-4o) -> text",
      {
        kind: SpanKind.CLIENT,
        attributes: {
          "pipelex.span.category": "inference",
          "gen_ai.operation.name": "chat",
          "gen_ai.provider.name": "openai",
          "gen_ai.request.model": "gpt-4o",
          "pipelex.pipeline.run_id": "run-1",
          "pipelex.pipe.code": "summarize",
          "pipelex.pipe.type": "PipeLLM",
          "gen_ai.output.type": "text",
          "gen_ai.request.temperature": 0.2,
          "gen_ai.request.max_tokens": 500,
        },
      },
      trace.setSpan(ROOT_CONTEXT, pipe),
    );
    call.setAttribute("gen_ai.input.messages", JSON.stringify(PROMPT));
    const result = await hostWork(i);
    call.setAttribute("gen_ai.output.messages", JSON.stringify([{ role: "assistant", content: COMPLETION }]));
    call.setAttribute("gen_ai.usage.input_tokens", 42);
    call.setAttribute("gen_ai.usage.output_tokens", 17);
    call.setAttribute("pipelex.outcome", "success");
    call.end();
    pipe.setAttribute("pipelex.outcome", "success");
    pipe.end();
    return result;
  }
  return { workflow, flush: () => provider.forceFlush(), shutdown: () => provider.shutdown() };
}

const PIPE_INFO = {
  runId: "run-1",
  pipeCode: "summarize",
  pipeType: "PipeLLM",
  pipeCategory: "PipeOperator",
};
const INFERENCE_INFO = {
  model: "gpt-4o",
  provider: "openai",
  operation: "chat",
  outputType: "text",
  params: { temperature: 0.2, maxTokens: 500 },
};
const USAGE = { inputTokens: 42, outputTokens: 17 };

/** The app's LLM-call callback, identical in every variant that has one. */
async function inferenceBody(call, i) {
  call.recordInput(PROMPT);
  const result = await hostWork(i);
  call.recordOutput(COMPLETION);
  call.recordUsage(USAGE);
  return result;
}

export function pipelexWorkflow(telemetry) {
  return (i) =>
    telemetry.pipeRun(PIPE_INFO, () => telemetry.inference(INFERENCE_INFO, (call) => inferenceBody(call, i)));
}

export const NO_TELEMETRY_CALL = {
  recordInput() {},
  recordOutput() {},
  recordUsage() {},
  recordResponseModel() {},
};

/** No telemetry at all: the same callback, called directly. */
export const bareWorkflow = (i) => inferenceBody(NO_TELEMETRY_CALL, i);
