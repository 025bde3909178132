import { ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { ExporterConformanceError, TelemetryConfigError } from "../errors.js";
import { defineExporter, type ExporterPluginInit, PLUGIN_API_VERSION } from "../plugin/define-exporter.js";
import { CONFORMANCE_CHECKS, runExporterConformance } from "./conformance/run.js";
import { RecordingExporter } from "./in-memory.js";

const strictParse = (raw: unknown) => {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new TelemetryConfigError("options must be an object");
  return raw as { secret?: string };
};

function plugin(overrides: Partial<ExporterPluginInit<{ secret?: string }>>) {
  return {
    default: defineExporter<{ secret?: string }>({
      name: "under-test",
      apiVersion: PLUGIN_API_VERSION,
      parseOptions: strictParse,
      secrets: () => [],
      defaultRedaction: () => [],
      describe: () => ({ sendsTo: "memory", receives: "full data", redacts: [] }),
      create: () => new RecordingExporter(),
      ...overrides,
    }),
  };
}

async function failures(module: ReturnType<typeof plugin>): Promise<string[]> {
  try {
    await runExporterConformance(module, {
      options: { secret: "sk-test-secret-value-123456" },
      timeoutMs: 300,
      watchMs: 100,
      abortGraceMs: 200,
    });
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ExporterConformanceError);
    return (error as ExporterConformanceError).failures.map((f) => f.check);
  }
}

describe("runExporterConformance", () => {
  it("passes a well-behaved plugin", async () => {
    expect(await failures(plugin({}))).toEqual([]);
  });

  it("rejects a module without a defineExporter default export", async () => {
    await expect(runExporterConformance({ default: { name: "x" } }, { options: {} })).rejects.toThrow(
      /module shape/,
    );
  });

  it("fails a plugin that edits the spans it is given", async () => {
    const mutating = plugin({
      create: () => ({
        export(spans: ReadableSpan[], done) {
          try {
            (spans[0]!.attributes as Record<string, unknown>)["gen_ai.input.messages"] = "edited";
          } catch {
            // frozen: the edit is refused, but the attempt is what the check catches below
            return done({ code: ExportResultCode.FAILED, error: new Error("tried to edit a frozen span") });
          }
          done({ code: ExportResultCode.SUCCESS });
        },
        shutdown: async () => {},
      }),
    });
    expect(await failures(mutating)).toContain(CONFORMANCE_CHECKS.exports);
  });

  it("fails a plugin whose export never answers, whose shutdown hangs, or that accepts garbage options", async () => {
    const bad = plugin({
      parseOptions: (raw) => raw as { secret?: string },
      create: () => ({ export() {}, shutdown: () => new Promise<void>(() => {}) }),
    });
    const failed = await failures(bad);
    expect(failed).toContain(CONFORMANCE_CHECKS.rejects);
    expect(failed).toContain(CONFORMANCE_CHECKS.exports);
    expect(failed).toContain(CONFORMANCE_CHECKS.shutdown);
  });

  it("fails a plugin that leaves a timer running", async () => {
    const timers: ReturnType<typeof setInterval>[] = [];
    const leaky = plugin({
      create: () => {
        timers.push(setInterval(() => {}, 1000));
        return new RecordingExporter();
      },
    });
    const failed = await failures(leaky);
    for (const timer of timers) clearInterval(timer);
    expect(failed).toEqual([CONFORMANCE_CHECKS.noLeftovers]);
  });

  it("fails a plugin that hands its secret to the context logger, even though the logger masks it", async () => {
    const logsSecret = plugin({
      secrets: (o) => [o.secret],
      create: (options, context) => {
        context.logger.warn(`using key ${options.secret}`);
        return new RecordingExporter();
      },
    });
    expect(await failures(logsSecret)).toEqual([CONFORMANCE_CHECKS.secretsKept]);
  });
});

describe("runExporterConformance(pluginModule)", () => {
  it("works with the module alone, as DESIGN.md shows it, and says what it could not check", async () => {
    const report = await runExporterConformance(plugin({}), { watchMs: 100 });
    expect(report.checks.every((c) => c.ok)).toBe(true);
    const unchecked = report.checks.filter((c) => c.note).map((c) => c.check);
    expect(unchecked).toContain(CONFORMANCE_CHECKS.importQuiet);
    expect(unchecked).toContain(CONFORMANCE_CHECKS.killInFlight);
    expect(report.requestsReceived).toBe(0);
  });
});
