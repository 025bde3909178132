import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { defineRedactor } from "../redaction/redactor.js";
import { createTelemetry } from "../telemetry/create-telemetry.js";
import { inMemoryDestination } from "../testing/in-memory.js";
import { runSampleWorkflow } from "../testing/sample-workflow.js";

describe("fail closed", () => {
  it("a throwing redactor drops that span for its destination only and counts redactionError", async () => {
    const throwsOnInference = defineRedactor("explodes", (span: ReadableSpan) => {
      if (span.attributes["pipelex.span.category"] === "inference")
        throw new Error("secret prompt in redactor error");
      return span;
    });
    const broken = inMemoryDestination("broken", { redact: [throwsOnInference] });
    const healthy = inMemoryDestination("healthy");
    const warnings: string[] = [];
    const telemetry = createTelemetry({
      env: {},
      destinations: [broken.destination, healthy.destination],
      logger: { debug() {}, info() {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
    });

    await expect(runSampleWorkflow(telemetry)).resolves.toBeUndefined();
    await telemetry.forceFlush();

    expect(healthy.spans()).toHaveLength(3);
    expect(broken.spans().map((s) => s.attributes["pipelex.span.category"])).toEqual(["pipe"]);
    const stats = telemetry.stats();
    expect(stats.broken?.dropped.redactionError).toBe(2);
    expect(stats.broken?.exported).toBe(1);
    expect(stats.healthy?.dropped.redactionError).toBe(0);
    expect(stats.healthy?.exported).toBe(3);
    // The warning names the destination and the error class, never the redactor's message.
    expect(warnings.join("\n")).toContain('destination "broken"');
    expect(warnings.join("\n")).not.toContain("secret prompt");
  });

  it("redaction runs off the host's call path: a slow or throwing redactor neither throws into nor slows the host call", async () => {
    let redactorCalledDuringHostCall = false;
    let inHostCall = false;
    const slowAndBroken = defineRedactor("slow", () => {
      if (inHostCall) redactorCalledDuringHostCall = true;
      const until = Date.now() + 20;
      while (Date.now() < until) {
        // busy: a pathological redactor
      }
      throw new Error("boom");
    });
    const broken = inMemoryDestination("broken", {
      redact: [slowAndBroken],
      delivery: { maxExportBatchSize: 1 },
    });
    const telemetry = createTelemetry({ env: {}, destinations: [broken.destination], logLevel: "silent" });

    const started = performance.now();
    inHostCall = true;
    for (let i = 0; i < 20; i++) {
      telemetry.pipeRun({ runId: `r${i}`, pipeCode: "p", pipeType: "PipeFunc" }, () => i);
    }
    inHostCall = false;
    const hostMs = performance.now() - started;

    expect(redactorCalledDuringHostCall).toBe(false);
    // 20 spans x 20 ms of redaction would be 400 ms if it ran on the host's path.
    expect(hostMs).toBeLessThan(100);
    await telemetry.forceFlush();
    expect(telemetry.stats().broken?.dropped.redactionError).toBe(20);
  });
});
