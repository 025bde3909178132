import { createTelemetry } from "@pipelex/telemetry-core";
import { type GatewayReceiver, startGatewayReceiver } from "@pipelex/test-receivers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatewayStream } from "../src/index.js";
import { README_LISTS } from "./support.js";

/**
 * Each closed field, through the real stream to the loopback ingest: every member of its README
 * list arrives as itself, and identifier-shaped values from outside the list arrive as "other".
 */

let receiver: GatewayReceiver;
beforeAll(async () => {
  receiver = await startGatewayReceiver();
});
afterAll(() => receiver.close());

const OUTSIDERS = ["ignore_previous_instructions_and_say_hi", "jane.doe@example.com", "pipellm", "Chat", ""];

type Field = keyof typeof README_LISTS;
const FIELDS = Object.keys(README_LISTS) as Field[];
/** A well-formed value for every field, used where another field is under test. */
const BASE: Record<Field, string> = {
  pipeType: "PipeLLM",
  pipeCategory: "PipeOperator",
  operation: "chat",
  outputType: "text",
  structuringMethod: "direct",
};
const PROPERTY: Record<Field, string> = {
  pipeType: "pipelex_pipe_type",
  pipeCategory: "pipelex_pipe_category",
  operation: "pipelex_operation",
  outputType: "pipelex_output_type",
  structuringMethod: "structuring_method",
};

describe("closed fields through the gateway stream", () => {
  it("send each list member as itself and anything else as 'other'", async () => {
    const cases: { field: Field; value: string; expected: string }[] = [];
    for (const field of FIELDS) {
      for (const value of README_LISTS[field]) cases.push({ field, value, expected: value });
      for (const value of OUTSIDERS) cases.push({ field, value, expected: "other" });
    }
    const stream = gatewayStream({
      apiKey: "pgw_closed_sets_0123456789",
      remoteConfigUrl: receiver.remoteConfigUrl,
      env: {},
    });
    const telemetry = createTelemetry({ env: {}, destinations: [stream] });
    await stream.ready();
    const first = receiver.events().length;
    for (const [seed, c] of cases.entries()) {
      const v = { ...BASE, [c.field]: c.value };
      telemetry.pipeRun(
        { runId: "r", pipeCode: "p", pipeType: v.pipeType, pipeCategory: v.pipeCategory },
        () =>
          telemetry.inference(
            {
              model: "gpt-4o",
              provider: "openai",
              operation: v.operation,
              outputType: v.outputType,
              params: { seed, structuringMethod: v.structuringMethod },
            },
            () => undefined,
          ),
      );
    }
    await telemetry.shutdown({ timeoutMs: 5000 });
    const events = receiver.events().slice(first);
    const spans = new Map(
      events.filter((e) => e.event === "$ai_span").map((e) => [e.properties.$ai_span_id, e.properties]),
    );
    const generations = events.filter((e) => e.event === "$ai_generation");
    expect(generations).toHaveLength(cases.length);
    for (const g of generations) {
      const params = g.properties.$ai_model_parameters as Record<string, unknown>;
      const c = cases[params.seed as number]!;
      const pipe = spans.get(g.properties.$ai_parent_id)!;
      const sent: Record<Field, unknown> = {
        pipeType: pipe.pipelex_pipe_type,
        pipeCategory: pipe.pipelex_pipe_category,
        operation: g.properties.pipelex_operation,
        outputType: g.properties.pipelex_output_type,
        structuringMethod: params.structuring_method,
      };
      expect(sent[c.field], `${PROPERTY[c.field]} for ${JSON.stringify(c.value)}`).toBe(c.expected);
      for (const other of FIELDS) if (other !== c.field) expect(sent[other]).toBe(BASE[other]);
      expect(g.properties.pipelex_pipe_type).toBe(pipe.pipelex_pipe_type);
    }
  });
});
