// One workflow, written three ways: bare OpenTelemetry by hand (the baseline), Pipelex telemetry,
// and no telemetry at all. A workflow is one pipe span with three LLM-call spans under it; each
// call carries a prompt (a system and a user message, `promptBytes` long in all) and a 1 KB
// completion, as realistic prose. Both instrumented sides put the same spans, attributes and
// content on the wire-side exporter; the callback does the same host work in every variant.
import { ROOT_CONTEXT, SpanKind, trace } from "@opentelemetry/api";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { prose } from "./content.mjs";

export const CALLS = 3;
const COMPLETION_BYTES = 1024;
/**
 * Workflows cycle through this many different contents: enough that a gzip window (32 KB) never
 * sees the same prompt twice, as in a real app, so the gzip byte counts are not flattered.
 */
const CONTENT_VARIANTS = 16;

/**
 * The content of each workflow variant: three calls' prompts and completions for a given prompt
 * size (seeded, so every run measures the same text). Workflow i uses variant i % 16.
 */
export function workflowContent(promptBytes) {
  const system = Math.min(400, promptBytes / 4);
  return Array.from({ length: CONTENT_VARIANTS }, (_, v) =>
    Array.from({ length: CALLS }, (_, call) => {
      const seed = 1000 * v + 10 * call;
      return {
        prompt: [
          { role: "system", content: prose(system, seed + 1) },
          // -60: the JSON around the two messages, so the serialized prompt is promptBytes long.
          { role: "user", content: prose(promptBytes - system - 60, seed + 2) },
        ],
        completion: prose(COMPLETION_BYTES, seed + 3),
      };
    }),
  );
}

/** Host work every variant does per call: build the request body, await the (answered) call. */
export async function hostWork(prompt, i) {
  const body = JSON.stringify({ model: "gpt-4o", messages: prompt, n: i & 7 });
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

export const RESOURCE_ATTRIBUTES = {
  "service.name": "pipelex",
  "service.namespace": "ai.orchestration",
  "service.version": "unknown",
  "deployment.environment": "development",
};

/**
 * Bare OpenTelemetry, by hand: the spans and attributes Pipelex makes, to `exporter` through a
 * BatchSpanProcessor (or through `processor`). A peer that reads content from other attribute
 * keys, or wants extra attributes, says so in the options.
 */
export function createBaseline(
  content,
  {
    exporter = discardingExporter(),
    processor,
    inputKey = "gen_ai.input.messages",
    outputKey = "gen_ai.output.messages",
    pipeAttributes = {},
    callAttributes = {},
  } = {},
) {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(RESOURCE_ATTRIBUTES),
    spanProcessors: [processor ?? new BatchSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer("baseline");
  async function llmCall(parent, { prompt, completion }, i) {
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
          ...callAttributes,
        },
      },
      parent,
    );
    call.setAttribute(inputKey, JSON.stringify(prompt));
    const result = await hostWork(prompt, i);
    call.setAttribute(outputKey, JSON.stringify([{ role: "assistant", content: completion }]));
    call.setAttribute("gen_ai.usage.input_tokens", 420);
    call.setAttribute("gen_ai.usage.output_tokens", 170);
    call.setAttribute("pipelex.outcome", "success");
    call.end();
    return result;
  }
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
          ...pipeAttributes,
        },
      },
      ROOT_CONTEXT,
    );
    const parent = trace.setSpan(ROOT_CONTEXT, pipe);
    let result = 0;
    for (const call of content[i % content.length]) result += await llmCall(parent, call, i);
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
const USAGE = { inputTokens: 420, outputTokens: 170 };

/** The app's LLM-call callback, identical in every variant that has one. */
async function inferenceBody(call, { prompt, completion }, i) {
  call.recordInput(prompt);
  const result = await hostWork(prompt, i);
  call.recordOutput(completion);
  call.recordUsage(USAGE);
  return result;
}

/** The workflow through a Pipelex `Telemetry` (or anything with its pipeRun/inference shape). */
export function pipelexWorkflow(telemetry, content) {
  return (i) =>
    telemetry.pipeRun(PIPE_INFO, async () => {
      let result = 0;
      for (const call of content[i % content.length])
        result += await telemetry.inference(INFERENCE_INFO, (handle) => inferenceBody(handle, call, i));
      return result;
    });
}

export const NO_TELEMETRY_CALL = {
  recordInput() {},
  recordOutput() {},
  recordUsage() {},
  recordResponseModel() {},
};

/** No telemetry at all: the same callbacks, called directly. */
export function bareWorkflow(content) {
  return async (i) => {
    let result = 0;
    for (const call of content[i % content.length]) result += await inferenceBody(NO_TELEMETRY_CALL, call, i);
    return result;
  };
}
