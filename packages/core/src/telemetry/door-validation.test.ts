import { describe, expect, it } from "vitest";
import { ATTR } from "../span/attributes.js";
import { inMemoryDestination } from "../testing/in-memory.js";
import { createTelemetry } from "./create-telemetry.js";
import type { InferenceInfo, PipeRunInfo } from "./types.js";

function setup() {
  const memory = inMemoryDestination();
  const lines: string[] = [];
  const logger = {
    debug() {},
    info() {},
    warn: (m: string) => lines.push(m),
    error: (m: string) => lines.push(m),
  };
  const telemetry = createTelemetry({ env: {}, destinations: [memory.destination], logger });
  return { memory, lines, telemetry };
}

/** An object that records whether anything tried to turn it into a string. */
function stringTrap(text: string) {
  const trap = {
    touched: 0,
    toString() {
      trap.touched++;
      return text;
    },
    toJSON() {
      trap.touched++;
      return text;
    },
    [Symbol.toPrimitive]() {
      trap.touched++;
      return text;
    },
  };
  return trap;
}

describe("pipeRun and inference validate their info before any span exists", () => {
  it("a missing pipeType becomes the placeholder; the code stays a field, never a name fragment of unknown origin", async () => {
    const { memory, lines, telemetry } = setup();
    const info = { runId: "r", pipeCode: "summarize" } as unknown as PipeRunInfo;
    expect(telemetry.pipeRun(info, () => 42)).toBe(42);
    await telemetry.shutdown();
    const [span] = memory.spans();
    expect(span!.name).toBe("unknown: summarize");
    expect(span!.attributes[ATTR.PIPE_TYPE]).toBe("unknown");
    expect(lines.join("\n")).toMatch(/pipeRun: info\.pipeType should be a string .* is nothing/);
  });

  it("boxed strings, objects with toString/toJSON and numbers are never converted: placeholder or absent", async () => {
    const { memory, lines, telemetry } = setup();
    const code = stringTrap("SECRET_CODE");
    const job = stringTrap("SECRET_JOB");
    const info = {
      runId: 7,
      pipeCode: code,
      pipeType: new String("SECRET_TYPE"),
      sessionId: stringTrap("SECRET_SESSION"),
    } as unknown as PipeRunInfo;
    const call = {
      model: 42,
      provider: "openai",
      operation: "chat",
      jobId: job,
      outputClassName: ["SECRET_CLASS"],
      params: { temperature: "0.2", maxTokens: Number.NaN, structuringMethod: stringTrap("SECRET_METHOD") },
    } as unknown as InferenceInfo;
    const result = await telemetry.pipeRun(info, () => telemetry.inference(call, async () => "answer"));
    expect(result).toBe("answer");
    await telemetry.shutdown();
    expect(code.touched + job.touched).toBe(0);
    const text = JSON.stringify(memory.spans().map((s) => [s.name, s.attributes]));
    expect(text).not.toContain("SECRET");
    const inference = memory.views().find((v) => v.category === "inference")!;
    expect(inference.genAi?.requestModel).toBe("unknown");
    expect(inference.genAi?.jobId).toBeUndefined();
    expect(inference.genAi?.params.temperature).toBeUndefined();
    expect(inference.name).toBe("unknown: (unknown) -> text");
    // Warned once (rate-limited), naming fields and kinds, never values.
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("pipeRun: info.runId");
    expect(lines[0]).not.toContain("SECRET");
  });

  it("getters that throw, proxies and non-object info still run the callback, and its error passes through", async () => {
    const { memory, telemetry } = setup();
    const throwing = Object.defineProperty({ runId: "r", pipeType: "PipeLLM" }, "pipeCode", {
      get() {
        throw new Error("SECRET getter");
      },
    });
    const proxy = new Proxy(
      {},
      {
        get() {
          throw new Error("trap");
        },
      },
    );
    const boom = new Error("app error");
    expect(() =>
      telemetry.pipeRun(throwing as PipeRunInfo, () => {
        throw boom;
      }),
    ).toThrow(boom);
    expect(telemetry.inference(proxy as InferenceInfo, () => "p")).toBe("p");
    expect(telemetry.pipeRun(null as unknown as PipeRunInfo, () => "n")).toBe("n");
    expect(telemetry.pipeRun("SECRET" as unknown as PipeRunInfo, () => "s")).toBe("s");
    await telemetry.shutdown();
    const names = memory.spans().map((s) => s.name);
    expect(names).toEqual(["PipeLLM: unknown", "unknown unknown", "unknown: unknown", "unknown: unknown"]);
  });

  it("huge strings are not identifiers", async () => {
    const { memory, telemetry } = setup();
    const huge = "x".repeat(5000);
    telemetry.pipeRun({ runId: "r", pipeCode: huge, pipeType: "PipeLLM", userId: huge }, () => undefined);
    await telemetry.shutdown();
    const [span] = memory.spans();
    expect(span!.name).toBe("PipeLLM: unknown");
    expect(span!.attributes[ATTR.USER_ID]).toBeUndefined();
  });

  it("keeps well-formed info exactly, inherited string fields included", async () => {
    const { memory, lines, telemetry } = setup();
    const info = Object.assign(Object.create({ pipeCategory: "PipeOperator" }), {
      runId: "run-1",
      pipeCode: "summarize",
      pipeType: "PipeLLM",
    }) as PipeRunInfo;
    telemetry.pipeRun(info, () =>
      telemetry.inference(
        {
          model: "gpt-4o",
          provider: "openai",
          operation: "chat",
          jobId: "job-1",
          params: { temperature: 0.2 },
        },
        () => undefined,
      ),
    );
    await telemetry.shutdown();
    expect(lines).toEqual([]);
    expect(memory.spans().map((s) => s.name)).toEqual([
      "summarize: job-1 (gpt-4o) -> text",
      "PipeLLM: summarize",
    ]);
    expect(memory.spans()[1]!.attributes[ATTR.PIPE_CATEGORY]).toBe("PipeOperator");
  });
});
