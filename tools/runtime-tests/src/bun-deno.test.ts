import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEYS, type Receivers, startReceivers, type WorkflowResult } from "./receivers.js";

const run = promisify(execFile);
const here = fileURLToPath(new URL("..", import.meta.url));
const app = "fixtures/cli-app.mjs";

// The real binaries from npm (`bun`, `deno`); both resolve the packages from node_modules.
// Deno runs with network access to 127.0.0.1 only.
const runtimes = [
  { name: "Bun", bin: "node_modules/.bin/bun", args: [app] },
  {
    name: "Deno",
    bin: "node_modules/.bin/deno",
    args: ["run", "--no-lock", "--allow-net=127.0.0.1", "--allow-env", "--allow-read", app],
  },
];

describe.each(runtimes)("$name", ({ bin, args }) => {
  let receivers: Receivers;
  let result: WorkflowResult;
  beforeAll(async () => {
    receivers = await startReceivers("run-cli-runtime");
    const { stdout } = await run(bin, args, {
      cwd: here,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...receivers.env },
      timeout: 60_000,
    });
    result = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as WorkflowResult;
  });
  afterAll(() => receivers.close());

  it("delivers the workflow to OTLP (JSON), the custom destination, the gateway, PostHog and Langfuse", () => {
    expect(result.complete).toBe(true);
    expect(result.exported).toEqual({ collector: 3, mine: 3, "pipelex-gateway": 3, posthog: 3, langfuse: 3 });
    expect(receivers.otlp.acceptedSpans()).toHaveLength(3);
    expect(receivers.gateway.events()).toHaveLength(3);
    expect(receivers.langfuse.acceptedSpans()).toHaveLength(3);
    const events = receivers.posthog.events.map((e) => e.event);
    expect(events.filter((e) => e === "$ai_generation")).toHaveLength(2);
    // PostHog's default redaction held: the prompt never reached it; the key only in auth.
    const posthogBodies = receivers.posthog.bodies.map(String).join("\n");
    expect(posthogBodies).not.toContain("jane.doe");
    expect(
      receivers.gateway
        .ingestRequests()
        .map((r) => String(r.body))
        .join("\n"),
    ).not.toContain(KEYS.gateway);
  });

  it("nests both LLM calls under the pipe across awaits (AsyncLocalStorage)", () => {
    expect(result.asyncLocalStorage).toBe(true);
    const calls = result.spans.filter((s) => !s.name.startsWith("PipeLLM"));
    expect(calls.map((s) => s.childOfPipe)).toEqual([true, true]);
    expect(new Set(receivers.otlp.acceptedSpans().map((s) => s.traceId)).size).toBe(1);
  });
});
