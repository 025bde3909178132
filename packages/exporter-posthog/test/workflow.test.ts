import type { PosthogCapturedEvent } from "@pipelex/test-receivers";
import { describe, expect, it } from "vitest";
import { EXPORTER_PACKAGE_NAME, EXPORTER_VERSION } from "../src/index.js";
import {
  byName,
  captureLogs,
  FIXED_CONTENT,
  receiverOptions,
  runWorkflow,
  telemetryFor,
  traceStarts,
  wireText,
  withReceiver,
} from "./helpers.js";

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function bySpanName(events: readonly PosthogCapturedEvent[], fragment: string): PosthogCapturedEvent {
  const found = events.filter((e) => String(e.properties.$ai_span_name).includes(fragment));
  expect(found, `one event named like "${fragment}"`).toHaveLength(1);
  return found[0]!;
}

describe("a workflow of two pipes and three inferences, one failing (default privacy)", () => {
  it("sends one trace-start $ai_span first, two $ai_span and three $ai_generation with the LLM analytics properties", async () => {
    await withReceiver(async (receiver) => {
      const logs = captureLogs();
      const telemetry = telemetryFor(receiverOptions(receiver), logs);
      await runWorkflow(telemetry);
      const report = await telemetry.shutdown({ timeoutMs: 5000 });
      expect(report.complete).toBe(true);

      const events = receiver.events;
      expect(events.map((e) => e.event).sort()).toEqual(
        ["$ai_generation", "$ai_generation", "$ai_generation", "$ai_span", "$ai_span", "$ai_span"].sort(),
      );
      // Every request was accepted, gzipped as posthog-node sends it, to /batch/.
      expect(receiver.exchanges.every((x) => x.status === 200 && x.request.path === "/batch/")).toBe(true);
      expect(receiver.exchanges[0]!.request.headers["content-encoding"]).toBe("gzip");

      // The trace-start event comes first and names the trace (pipe codes redacted: 8 hex).
      const [start] = traceStarts(events);
      expect(events[0]).toBe(start);
      const traceId = String(start!.properties.$ai_trace_id);
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(start!.properties).toMatchObject({
        $ai_span_name: traceId.slice(0, 8),
        $ai_trace_name: traceId.slice(0, 8),
      });
      expect(start!.properties.$ai_parent_id).toBeUndefined();

      const spans = byName(events, "$ai_span").filter((e) => e !== start);
      const generations = byName(events, "$ai_generation");
      for (const event of events) {
        expect(event.properties.$ai_trace_id).toBe(traceId);
        expect(event.properties.$ai_lib).toBe(EXPORTER_PACKAGE_NAME);
        expect(event.properties.$ai_lib_version).toBe(EXPORTER_VERSION);
        expect(event.properties.$process_person_profile).toBe(false);
        expect(event.properties.$ai_base_url).toBeUndefined();
        expect(event.timestamp).toMatch(ISO);
        expect(event.uuid).toBeDefined();
      }
      // One anonymous distinct id for the whole telemetry instance.
      expect(new Set(events.map((e) => e.distinct_id)).size).toBe(1);

      const root = bySpanName(spans, "PipeSequence");
      const child = bySpanName(spans, "PipeLLM");
      expect(root.properties).toMatchObject({
        $ai_span_name: "PipeSequence: [REDACTED]",
        $ai_trace_name: traceId.slice(0, 8),
        $ai_is_error: false,
        pipelex_pipe_type: "PipeSequence",
        pipelex_pipe_category: "PipeController",
        pipelex_pipe_code: "[REDACTED]",
      });
      expect(root.properties.$ai_parent_id).toBeUndefined();
      expect(child.properties.$ai_parent_id).toBe(root.properties.$ai_span_id);
      expect(child.properties.$ai_trace_name).toBeUndefined();

      const ok = bySpanName(generations, "gpt-4o)");
      expect(ok.properties).toMatchObject({
        $ai_parent_id: child.properties.$ai_span_id,
        $ai_model: "gpt-4o-2024-08-06",
        pipelex_request_model: "gpt-4o",
        $ai_provider: "openai",
        $ai_model_parameters: { temperature: 0.2, max_tokens: 500, seed: 7 },
        $ai_input_tokens: 42,
        $ai_output_tokens: 17,
        $ai_is_error: false,
        // Anonymous mode sends no app-chosen ids by default: the job id is not in the name either.
        $ai_span_name: "[REDACTED]: (gpt-4o) -> Object",
        pipelex_output_class_name: "[REDACTED]",
        pipelex_operation: "chat",
        pipelex_output_type: "json",
      });
      const latency = ok.properties.$ai_latency as number;
      expect(latency).toBeGreaterThanOrEqual(0.015); // seconds: the call slept 20 ms
      expect(latency).toBeLessThan(5);

      const failed = bySpanName(generations, "claude-sonnet-4");
      expect(failed.properties).toMatchObject({
        $ai_is_error: true,
        $ai_http_status: 429,
        pipelex_error_type: "ProviderError",
        pipelex_error_code: "rate_limit_exceeded",
        pipelex_outcome: "failure",
        $ai_provider: "anthropic",
      });
      const image = bySpanName(generations, "gpt-image-1");
      expect(image.properties).toMatchObject({
        $ai_parent_id: root.properties.$ai_span_id,
        $ai_model_parameters: { width: 1024, height: 768 },
      });

      // Content is redacted by default: no input, output or error text, anywhere on the wire.
      for (const event of generations) {
        expect(event.properties.$ai_input).toBeUndefined();
        expect(event.properties.$ai_output_choices).toBeUndefined();
        expect(event.properties.$ai_error).toBeUndefined();
      }
      const wire = wireText(receiver);
      for (const secret of [
        FIXED_CONTENT.prompt,
        FIXED_CONTENT.completion,
        FIXED_CONTENT.errorMessage,
        "jane.doe",
        "write_report",
        "draft_summary",
        "ContractSummary",
      ]) {
        expect(wire).not.toContain(secret);
      }
      expect(telemetry.stats()).toMatchObject({
        posthog: { exported: 5, dropped: { exportFailed: 0, queueFull: 0 } },
      });
      expect(logs.lines.join("\n")).not.toContain(receiver.projectKey);
    });
  });

  it("with capture on, sends prompts as PostHog messages, completions, error text, pipe codes and class names", async () => {
    await withReceiver(async (receiver) => {
      const telemetry = telemetryFor(
        receiverOptions(receiver, {
          tracing: {
            enabled: true,
            capture: { content: true, pipeCodes: true, outputClassNames: true, jobIds: true },
          },
        }),
      );
      await runWorkflow(telemetry);
      await telemetry.shutdown({ timeoutMs: 5000 });
      const generations = byName(receiver.events, "$ai_generation");
      const ok = bySpanName(generations, "gpt-4o)");
      expect(ok.properties.$ai_input).toEqual([{ role: "user", content: FIXED_CONTENT.prompt }]);
      expect(ok.properties.$ai_output_choices).toEqual([
        { role: "assistant", content: FIXED_CONTENT.completion },
      ]);
      expect(ok.properties.$ai_span_name).toBe("draft_summary: job-1 (gpt-4o) -> ContractSummary");
      expect(ok.properties.pipelex_output_class_name).toBe("ContractSummary");
      const failed = bySpanName(generations, "claude-sonnet-4");
      expect(failed.properties.$ai_error).toBe(FIXED_CONTENT.errorMessage);
      const [start] = traceStarts(receiver.events);
      const traceId = String(start!.properties.$ai_trace_id);
      // The whole workflow fits in one batch: the trace-start carries the root's full trace name.
      expect(start!.properties.$ai_trace_name).toBe(`write_report_${traceId.slice(0, 8)}`);
    });
  });

  it("identified mode: the distinct id is the user id, which no property carries; person profiles are processed", async () => {
    await withReceiver(async (receiver) => {
      const userId = "user-7f3a9c";
      const telemetry = telemetryFor(receiverOptions(receiver, { mode: "identified", userId }));
      await telemetry.pipeRun(
        { runId: "r1", pipeCode: "p", pipeType: "PipeLLM", userId, sessionId: "sess-1" },
        () => telemetry.inference({ model: "m", provider: "openai", operation: "chat" }, () => "ok"),
      );
      await telemetry.shutdown({ timeoutMs: 5000 });
      expect(receiver.events.length).toBe(3);
      for (const event of receiver.events) {
        expect(event.distinct_id).toBe(userId);
        expect(JSON.stringify(event.properties)).not.toContain(userId);
        expect(event.properties.$process_person_profile).toBeUndefined();
      }
      expect(byName(receiver.events, "$ai_span").some((e) => e.properties.$ai_session_id === "sess-1")).toBe(
        true,
      );
    });
  });

  it("anonymous mode sends no session or job id unless opted in per field, and never one that is not code-shaped", async () => {
    const wireOf = async (capture: Record<string, boolean>, sessionId: string, jobId: string) =>
      withReceiver(async (receiver) => {
        const telemetry = telemetryFor(receiverOptions(receiver, { tracing: { enabled: true, capture } }));
        await telemetry.pipeRun({ runId: "r1", pipeCode: "p", pipeType: "PipeLLM", sessionId }, () =>
          telemetry.inference({ model: "m", provider: "openai", operation: "chat", jobId }, () => "ok"),
        );
        await telemetry.shutdown({ timeoutMs: 5000 });
        expect(receiver.events.length).toBe(3);
        return JSON.stringify(receiver.events.map((e) => e.properties));
      });
    const byDefault = await wireOf({}, "sess-1", "job-1");
    expect(byDefault).not.toContain("sess-1");
    expect(byDefault).not.toContain("job-1");
    const optedIn = await wireOf({ sessionIds: true, jobIds: true }, "sess-1", "job-1");
    expect(optedIn).toContain('"$ai_session_id":"sess-1"');
    expect(optedIn).toContain('"pipelex_job_id":"job-1"');
    const leaky = await wireOf(
      { sessionIds: true, jobIds: true },
      "jane.doe@example.com",
      "see https://x.example/a",
    );
    expect(leaky).not.toContain("jane.doe");
    expect(leaky).not.toContain("x.example");
  });

  it("two telemetry instances in anonymous mode use different random distinct ids", async () => {
    await withReceiver(async (receiver) => {
      for (let i = 0; i < 2; i++) {
        const telemetry = telemetryFor(receiverOptions(receiver));
        await telemetry.pipeRun({ runId: `r${i}`, pipeCode: "p", pipeType: "PipeFunc" }, () => undefined);
        await telemetry.shutdown({ timeoutMs: 5000 });
      }
      const ids = new Set(receiver.events.map((e) => e.distinct_id));
      expect(ids.size).toBe(2);
      for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  it("geoip = false asks PostHog not to geolocate; the default lets it", async () => {
    await withReceiver(async (receiver) => {
      for (const geoip of [false, true]) {
        const telemetry = telemetryFor(receiverOptions(receiver, { geoip }));
        await telemetry.pipeRun({ runId: "r", pipeCode: "p", pipeType: "PipeFunc" }, () => undefined);
        await telemetry.shutdown({ timeoutMs: 5000 });
      }
      const [withoutGeo, withGeo] = [receiver.events.slice(0, 2), receiver.events.slice(2)];
      expect(withoutGeo.every((e) => e.properties.$geoip_disable === true)).toBe(true);
      expect(withGeo.every((e) => e.properties.$geoip_disable === undefined)).toBe(true);
    });
  });
});
