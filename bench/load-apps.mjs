// The load runs' app (bench/load.mjs, bench/alloc.mjs): a pipe run with one inference per
// workflow (two spans), recorded by Pipelex telemetry into one destination, or by hand with bare
// OpenTelemetry. One copy, so both benches measure the same spans and attributes.
import { ROOT_CONTEXT, SpanKind, trace } from "@opentelemetry/api";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { createTelemetry, destination } from "@pipelex/telemetry-core";
import { RESOURCE_ATTRIBUTES } from "./workflows.mjs";

/** An exporter that discards: what recording costs without any delivery. */
export const DISCARDING_EXPORTER = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} };

/** The destinations under load, by name, pointed at `endpoint`; "none" is the app without telemetry. */
export function loadDestinations(endpoint) {
  return {
    none: async () => [],
    // The SDK's own cost: spans handed to an exporter that does nothing.
    sink: async () => [destination({ name: "sink", exporter: DISCARDING_EXPORTER, neverHoldsProcess: true })],
    gateway: async () => {
      const { gatewayStream } = await import("@pipelex/telemetry-gateway-stream");
      return [
        gatewayStream({
          apiKey: "pgw_load_key_0123456789",
          endpoint,
          projectKey: "phc_load_project",
          env: {},
        }),
      ];
    },
    posthog: async () => {
      const { posthog } = await import("@pipelex/telemetry-exporter-posthog");
      return [
        posthog({
          mode: "anonymous",
          endpoint,
          apiKey: "phc_load0000000000000000000000000000000",
          tracing: { enabled: true },
        }),
      ];
    },
  };
}

/** The app recording with Pipelex telemetry into `destinations`. */
export async function telemetryLoadApp(destinations) {
  const telemetry = createTelemetry({ env: {}, destinations, logLevel: "silent" });
  await telemetry.ready();
  return {
    telemetry,
    workflow: (i) =>
      telemetry.pipeRun({ runId: `load-${i}`, pipeCode: "summarize", pipeType: "PipeLLM" }, () =>
        telemetry.inference({ model: "gpt-4o", provider: "openai", operation: "chat" }, () => "ok"),
      ),
  };
}

/** The same two spans and attributes by hand, through OpenTelemetry's BatchSpanProcessor (its defaults). */
export function bareOpenTelemetryLoadApp(exporter) {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(RESOURCE_ATTRIBUTES),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer("baseline");
  return {
    provider,
    workflow(i) {
      const runId = `load-${i}`;
      const pipe = tracer.startSpan(
        "PipeLLM: summarize",
        {
          kind: SpanKind.INTERNAL,
          attributes: {
            "pipelex.span.category": "pipe",
            "pipelex.pipeline.run_id": runId,
            "pipelex.pipe.code": "summarize",
            "pipelex.pipe.type": "PipeLLM",
            "pipelex.trace.name": "summarize_00000000",
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
            "pipelex.pipeline.run_id": runId,
            "pipelex.pipe.code": "summarize",
            "pipelex.pipe.type": "PipeLLM",
          },
        },
        trace.setSpan(ROOT_CONTEXT, pipe),
      );
      call.setAttribute("pipelex.outcome", "success");
      call.end();
      pipe.setAttribute("pipelex.outcome", "success");
      pipe.end();
      return "ok";
    },
  };
}
