import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleForEdge } from "./edge-bundle.js";
import { type Receivers, startReceivers, type WorkflowResult } from "./receivers.js";

// The worker is bundled as wrangler does (esbuild, `worker`/`browser` conditions) and run by the
// real workerd binary that miniflare ships, with and without Node compatibility.
let script: string;
beforeAll(async () => {
  script = (await bundleForEdge(new URL("../fixtures/worker.mjs", import.meta.url))).code;
});

async function runInWorker(flags: string[], receivers: Receivers): Promise<WorkflowResult> {
  const mf = new Miniflare({
    modules: true,
    script,
    compatibilityDate: "2025-09-01",
    compatibilityFlags: flags,
  });
  try {
    const response = await mf.dispatchFetch(`http://worker.test/?${new URLSearchParams(receivers.env)}`);
    const body = (await response.json()) as WorkflowResult & { error?: string };
    expect(body.error, body.error).toBeUndefined();
    return body;
  } finally {
    await mf.dispose();
  }
}

describe.each([
  { flags: ["nodejs_compat"], label: "with nodejs_compat" },
  { flags: [], label: "without nodejs_compat" },
])("a Cloudflare Worker (workerd) $label", ({ flags }) => {
  let receivers: Receivers;
  let result: WorkflowResult;
  beforeAll(async () => {
    receivers = await startReceivers(`run-worker-${flags.length}`);
    result = await runInWorker(flags, receivers);
  });
  afterAll(() => receivers.close());

  it("delivers every span to the OTLP collector (JSON), the custom destination and the gateway", async () => {
    expect(result.complete).toBe(true);
    expect(result.exported).toEqual({ collector: 3, mine: 3, "pipelex-gateway": 3 });
    expect(receivers.otlp.exports.every((e) => e.encoding === "json")).toBe(true);
    expect(receivers.otlp.acceptedSpans()).toHaveLength(3);
    expect(
      receivers.gateway
        .events()
        .map((e) => e.event)
        .sort(),
    ).toEqual(["$ai_generation", "$ai_generation", "$ai_span"]);
    // The custom destination's own redaction ran inside the worker.
    expect(result.spans.some((s) => s.hasPrompt)).toBe(false);
  });

  if (flags.includes("nodejs_compat")) {
    it("nests both LLM calls under the pipe (AsyncLocalStorage from node:async_hooks)", () => {
      expect(result.asyncLocalStorage).toBe(true);
      const calls = result.spans.filter((s) => !s.name.startsWith("PipeLLM"));
      expect(calls.map((s) => s.childOfPipe)).toEqual([true, true]);
      expect(new Set(result.spans.map((s) => s.traceId)).size).toBe(1);
    });
  } else {
    it("without AsyncLocalStorage, nests only until the pipe's first await (as the README says)", () => {
      expect(result.asyncLocalStorage).toBe(false);
      const [first, second] = result.spans.filter((s) => !s.name.startsWith("PipeLLM"));
      expect(first?.childOfPipe).toBe(true);
      // The call after an await has lost its pipe: a root span in a trace of its own, named
      // from the call alone.
      expect(second?.childOfPipe).toBe(false);
      expect(second?.parentSpanId).toBeNull();
      expect(second?.name).toBe("chat gpt-4o-mini");
      expect(new Set(result.spans.map((s) => s.traceId)).size).toBe(2);
    });
  }
});
