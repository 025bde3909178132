import { createTelemetry, dropContent, type InferenceParams } from "@pipelex/telemetry-core";
import { inMemoryDestination } from "@pipelex/telemetry-core/testing";
import {
  type GatewayReceiver,
  type PosthogCapturedEvent,
  startGatewayReceiver,
} from "@pipelex/test-receivers";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelName } from "../src/events/values.js";
import { gatewayStream } from "../src/index.js";
import {
  expectedClosed,
  expectedIdentifier,
  expectWellTypedEvent,
  README_LISTS,
  requiredName,
  SAFE_ERROR_CODE,
  sha16,
  wireText,
} from "./support.js";

/**
 * The privacy property, end to end: random content and hostile metadata go through the real
 * telemetry into the gateway stream, which posts to a loopback PostHog-wire receiver. Nothing
 * but the allowlist, type-checked, may reach a request.
 */

let receiver: GatewayReceiver;
beforeAll(async () => {
  receiver = await startGatewayReceiver();
});
afterAll(() => receiver.close());

const WORDS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".split("");
const word = fc.string({ unit: fc.constantFrom(...WORDS), minLength: 1, maxLength: 10 });
/** Natural-language content: a unique marker, then words separated by spaces (never identifier-shaped). */
const content = (kind: string) =>
  fc
    .tuple(fc.uuid(), fc.array(word, { minLength: 1, maxLength: 8 }))
    .map(([id, words]) => `${kind}-${id} ${words.join(" ")}`);
/** Identifier-shaped secrets (pipe codes, class names, ids): they would pass the pattern, so only not reading them keeps them out. */
const secretIdentifier = (kind: string) => fc.uuid().map((id) => `${kind}_${id.replaceAll("-", "")}`);

/** Strings as hostile as they come: prompts, JSON-breaking quotes, unicode, too long, or fine. */
const hostileString = fc.oneof(
  content("PROMPT_IN_FIELD"),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom('gpt-4o","$ai_input":"leak', "line\nbreak", "a".repeat(129), "", " "),
  fc.stringMatching(/^[A-Za-z0-9._:/@+-]{1,128}$/),
  fc.constantFrom(...Object.values(README_LISTS).flat()),
);
/** Anything an app could pass where a string is typed (values reach core through `as never`). */
const hostileValue = fc
  .oneof(
    { weight: 4, arbitrary: hostileString },
    { weight: 1, arbitrary: fc.object({ maxDepth: 2 }) },
    { weight: 1, arbitrary: fc.array(fc.string(), { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.double() },
  )
  // Core builds span names with template strings, so a value that cannot become a string at all
  // (e.g. `{ toString: 0 }`) makes pipeRun throw before any span exists: outside this test's subject.
  .filter((value) => {
    try {
      String(value);
      return true;
    } catch {
      return false;
    }
  });
const hostileNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    1e308,
    -1e308,
    2 ** 60,
    0.7,
    1024,
  ),
  fc.string(),
  fc.object({ maxDepth: 2 }),
);

const scenario = fc.record({
  withContentDestination: fc.boolean(),
  viaRemoteConfig: fc.boolean(),
  apiKey: fc.string({ minLength: 8, maxLength: 60, unit: "grapheme" }).map((k) => `pgw-${k}`),
  prompt: content("PROMPT"),
  completion: content("COMPLETION"),
  fileContent: content("FILE"),
  errorMessage: content("ERRMSG"),
  rootPipeCode: secretIdentifier("PIPECODE"),
  subPipeCode: secretIdentifier("PIPECODE"),
  className: secretIdentifier("CLASSNAME"),
  runId: secretIdentifier("RUNID"),
  jobId: secretIdentifier("JOBID"),
  userId: secretIdentifier("USERID"),
  sessionId: secretIdentifier("SESSIONID"),
  unknownParam: fc.record({ nested: content("NESTEDPARAM"), deeper: fc.record({ x: content("DEEPPARAM") }) }),
  model: hostileValue,
  responseModel: hostileValue,
  provider: hostileValue,
  operation: hostileValue,
  outputType: hostileValue,
  pipeType: hostileValue,
  pipeCategory: hostileValue,
  structuringMethod: hostileValue,
  temperature: hostileNumber,
  maxTokens: hostileNumber,
  seed: hostileNumber,
  width: hostileNumber,
  height: hostileNumber,
  inputTokens: hostileNumber,
  outputTokens: hostileNumber,
  errorCode: fc.oneof(hostileString, fc.integer()),
  errorStatus: hostileNumber,
  errorType: fc.oneof(fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,30}Error$/), content("ERRTYPE")),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function namedErrorClass(name: string): new (message: string) => Error {
  return { [name]: class extends Error {} }[name]!;
}

async function runScenario(s: Scenario): Promise<{ events: PosthogCapturedEvent[]; wire: string }> {
  const firstRequest = receiver.requests.length;
  const firstEvent = receiver.events().length;
  const stream = gatewayStream(
    s.viaRemoteConfig
      ? { apiKey: s.apiKey, remoteConfigUrl: receiver.remoteConfigUrl, env: {} }
      : { apiKey: s.apiKey, endpoint: receiver.ingestEndpoint, projectKey: receiver.projectKey, env: {} },
  );
  // A content-receiving neighbour makes core put prompts, messages and unknown params on the spans.
  const neighbour = inMemoryDestination("neighbour", {
    redact: s.withContentDestination ? [] : [dropContent()],
  });
  const telemetry = createTelemetry({
    env: {},
    destinations: [stream, neighbour.destination],
    logLevel: "error",
  });
  await stream.ready();
  const ErrorClass = namedErrorClass(s.errorType);
  const params = {
    temperature: s.temperature,
    maxTokens: s.maxTokens,
    seed: s.seed,
    width: s.width,
    height: s.height,
    structuringMethod: s.structuringMethod,
    extra: s.unknownParam,
  } as unknown as InferenceParams;
  const inferenceInfo = {
    model: s.model,
    provider: s.provider,
    operation: s.operation,
    outputType: s.outputType,
    outputClassName: s.className,
    jobId: s.jobId,
    params,
  } as never;
  await telemetry
    .pipeRun(
      {
        runId: s.runId,
        pipeCode: s.rootPipeCode,
        pipeType: s.pipeType as string,
        pipeCategory: s.pipeCategory as string,
        userId: s.userId,
        sessionId: s.sessionId,
      },
      () =>
        telemetry.pipeRun(
          {
            runId: s.runId,
            pipeCode: s.subPipeCode,
            pipeType: s.pipeType as string,
            pipeCategory: s.pipeCategory as string,
          },
          async () => {
            await telemetry.inference(inferenceInfo, async (call) => {
              call.recordInput([
                {
                  role: "user",
                  content: [
                    { type: "text", text: s.prompt },
                    { type: "file", data: s.fileContent },
                  ],
                },
              ]);
              call.recordOutput(s.completion);
              call.recordUsage({
                inputTokens: s.inputTokens as number,
                outputTokens: s.outputTokens as number,
              });
              call.recordResponseModel(s.responseModel as string);
            });
            await telemetry.inference(inferenceInfo, async (call) => {
              call.recordInput(() => s.prompt);
              throw Object.assign(new ErrorClass(s.errorMessage), {
                code: s.errorCode,
                status: s.errorStatus,
              });
            });
          },
        ),
    )
    .catch(() => undefined);
  await telemetry.forceFlush();
  await telemetry.shutdown({ timeoutMs: 2000 });
  return {
    events: receiver.events().slice(firstEvent),
    wire: wireText(receiver.requests.slice(firstRequest)),
  };
}

function secretsOf(s: Scenario): string[] {
  return [
    s.apiKey,
    s.prompt,
    s.completion,
    s.fileContent,
    s.errorMessage,
    s.rootPipeCode,
    s.subPipeCode,
    s.className,
    s.runId,
    s.jobId,
    s.userId,
    s.sessionId,
    s.unknownParam.nested,
    s.unknownParam.deeper.x,
  ];
}

/** The number the receiver should see for a drawn input (JSON turns -0 into 0, hence `+ 0`). */
const finiteIn = (v: unknown, min: number, max: number, integer: boolean) =>
  typeof v === "number" && Number.isFinite(v) && v >= min && v <= max && (!integer || Number.isSafeInteger(v))
    ? v + 0
    : undefined;

describe("gateway stream privacy (property-based, against a loopback gateway ingest)", () => {
  it("sends only the allowlist, type-checked; never content, names, codes, ids or the key", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { events, wire } = await runScenario(s);

        for (const secret of secretsOf(s))
          expect(wire.includes(secret), `leaked ${JSON.stringify(secret)}`).toBe(false);
        // Prompts passed as metadata never appear either (their marker is unique to this run).
        for (const field of [
          s.model,
          s.responseModel,
          s.provider,
          s.operation,
          s.outputType,
          s.pipeType,
          s.pipeCategory,
          s.structuringMethod,
          s.errorCode,
          s.errorType,
        ]) {
          if (typeof field === "string" && /^(PROMPT_IN_FIELD|ERRTYPE)-/.test(field)) {
            expect(wire.includes(field.split(" ")[0]!), `leaked ${JSON.stringify(field)}`).toBe(false);
          }
        }

        const distinctId = sha16(s.apiKey);
        expect(events).toHaveLength(4);
        for (const event of events) expectWellTypedEvent(event, distinctId);

        const pipes = events.filter((e) => e.event === "$ai_span");
        const generations = events.filter((e) => e.event === "$ai_generation");
        expect(pipes).toHaveLength(2);
        expect(generations).toHaveLength(2);
        const root = pipes.find((e) => !("$ai_parent_id" in e.properties))!;
        const sub = pipes.find((e) => e !== root)!;
        expect(sub.properties.$ai_parent_id).toBe(root.properties.$ai_span_id);
        for (const g of generations) expect(g.properties.$ai_parent_id).toBe(sub.properties.$ai_span_id);
        for (const e of events) expect(e.properties.$ai_trace_id).toBe(root.properties.$ai_trace_id);

        for (const e of [...pipes, ...generations]) {
          expect(e.properties.pipelex_pipe_type).toBe(
            expectedClosed(s.pipeType, README_LISTS.pipeType, true),
          );
        }
        for (const p of pipes)
          expect(p.properties.pipelex_pipe_category).toBe(
            expectedClosed(s.pipeCategory, README_LISTS.pipeCategory, false),
          );

        const ok = generations.find((g) => g.properties.$ai_is_error === false)!;
        const failed = generations.find((g) => g.properties.$ai_is_error === true)!;
        expect(ok).toBeDefined();
        expect(failed).toBeDefined();
        for (const g of generations) {
          expect(g.properties.$ai_model).toBe(modelName(requiredName(s.model)));
          expect(g.properties.$ai_provider).toBe(modelName(requiredName(s.provider)));
          expect(g.properties.pipelex_operation).toBe(
            expectedClosed(s.operation, README_LISTS.operation, true),
          );
          expect(g.properties.pipelex_output_type).toBe(
            expectedClosed(s.outputType, README_LISTS.outputType, false),
          );
          const params = (g.properties.$ai_model_parameters ?? {}) as Record<string, unknown>;
          expect(params.temperature).toBe(finiteIn(s.temperature, 0, 100, false));
          expect(params.max_tokens).toBe(finiteIn(s.maxTokens, 0, Number.MAX_SAFE_INTEGER, true));
          expect(params.seed).toBe(finiteIn(s.seed, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, true));
          expect(params.width).toBe(finiteIn(s.width, 1, Number.MAX_SAFE_INTEGER, true));
          expect(params.height).toBe(finiteIn(s.height, 1, Number.MAX_SAFE_INTEGER, true));
          expect(params.structuring_method).toBe(
            expectedClosed(s.structuringMethod, README_LISTS.structuringMethod, false),
          );
        }
        expect(ok.properties.pipelex_outcome).toBe("success");
        expect(ok.properties.$ai_input_tokens).toBe(
          finiteIn(s.inputTokens, 0, Number.MAX_SAFE_INTEGER, true),
        );
        expect(ok.properties.$ai_output_tokens).toBe(
          finiteIn(s.outputTokens, 0, Number.MAX_SAFE_INTEGER, true),
        );
        expect(ok.properties.pipelex_response_model).toBe(
          typeof s.responseModel === "string" && s.responseModel.length <= 1024
            ? modelName(s.responseModel)
            : undefined,
        );
        expect(typeof ok.properties.$ai_latency).toBe("number");

        for (const e of [failed, sub, root]) {
          expect(e.properties.$ai_is_error).toBe(true);
          expect(e.properties.pipelex_outcome).toBe("failure");
          expect(e.properties.pipelex_error_type).toBe(expectedIdentifier(s.errorType, SAFE_ERROR_CODE));
          expect(e.properties.pipelex_error_code).toBe(
            expectedIdentifier(String(s.errorCode), SAFE_ERROR_CODE),
          );
          expect(e.properties.$ai_http_status).toBe(
            typeof s.errorStatus === "number" &&
              Number.isInteger(s.errorStatus) &&
              s.errorStatus >= 100 &&
              s.errorStatus <= 599
              ? s.errorStatus
              : undefined,
          );
        }
      }),
      { numRuns: 60 },
    );
  }, 60_000);

  it("the allowed metadata of a realistic run arrives with the right JS types", async () => {
    const apiKey = "pgw_live_realistic_0123456789";
    const stream = gatewayStream({
      apiKey,
      endpoint: receiver.ingestEndpoint,
      projectKey: receiver.projectKey,
      env: {},
    });
    const telemetry = createTelemetry({ env: {}, destinations: [stream] });
    await stream.ready();
    const first = receiver.events().length;
    await telemetry.pipeRun(
      { runId: "r1", pipeCode: "draw_cat", pipeType: "PipeImgGen", pipeCategory: "PipeOperator" },
      () =>
        telemetry.inference(
          {
            model: "nano-banana",
            provider: "google",
            operation: "image_generation",
            outputType: "image",
            params: {
              width: 1024,
              height: 768,
              seed: 42,
              temperature: 0.2,
              maxTokens: 500,
              structuringMethod: "preliminary_text",
            },
          },
          async (call) => call.recordUsage({ inputTokens: 12, outputTokens: 0 }),
        ),
    );
    await telemetry.shutdown();
    const [generation, pipe] = receiver.events().slice(first);
    expect(generation!.event).toBe("$ai_generation");
    expect(generation!.properties).toMatchObject({
      $ai_model: "nano-banana",
      $ai_provider: "google",
      pipelex_operation: "image_generation",
      pipelex_output_type: "image",
      pipelex_pipe_type: "PipeImgGen",
      $ai_model_parameters: {
        width: 1024,
        height: 768,
        seed: 42,
        temperature: 0.2,
        max_tokens: 500,
        structuring_method: "preliminary_text",
      },
      $ai_input_tokens: 12,
      $ai_output_tokens: 0,
      $ai_is_error: false,
      pipelex_outcome: "success",
      $process_person_profile: false,
    });
    expect(pipe!.event).toBe("$ai_span");
    expect(pipe!.properties).toMatchObject({
      pipelex_pipe_type: "PipeImgGen",
      pipelex_pipe_category: "PipeOperator",
    });
    expect(Date.parse(generation!.timestamp!)).toBeGreaterThan(Date.now() - 60_000);
  });
});
