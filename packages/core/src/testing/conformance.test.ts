import { ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { ExporterConformanceError, TelemetryConfigError } from "../errors.js";
import { defineExporter, type ExporterPluginInit } from "../plugin/define-exporter.js";
import { runExporterConformance } from "./conformance.js";
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
      apiVersion: 2,
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
    expect(await failures(mutating)).toContain(
      "export() answers exactly once, within the timeout, without editing the spans",
    );
  });

  it("fails a plugin whose export never answers, whose shutdown hangs, or that accepts garbage options", async () => {
    const bad = plugin({
      parseOptions: (raw) => raw as { secret?: string },
      create: () => ({ export() {}, shutdown: () => new Promise<void>(() => {}) }),
    });
    const failed = await failures(bad);
    expect(failed).toContain("parseOptions rejects bad input with TelemetryConfigError");
    expect(failed).toContain("export() answers exactly once, within the timeout, without editing the spans");
    expect(failed).toContain("shutdown() resolves within the timeout");
  });

  it("fails a plugin that leaves a timer running or logs its secret", async () => {
    const timers: ReturnType<typeof setInterval>[] = [];
    const leaky = plugin({
      secrets: (o) => [o.secret],
      create: (options, context) => {
        const timer = setInterval(() => {}, 1000);
        timers.push(timer);
        const exporter = new RecordingExporter();
        // A raw console-bypassing sink would leak; the masking logger must not.
        context.logger.warn(`using key ${options.secret}`);
        return Object.assign(exporter, {
          shutdown: async () => {
            void timer; // never cleared
          },
        });
      },
    });
    const failed = await failures(leaky);
    for (const timer of timers) clearInterval(timer);
    expect(failed).toContain("leaves no timer or socket open after shutdown");
    // The masking logger registered the plugin's secrets, so the log check passes even for this plugin.
    expect(failed).not.toContain("no secret reaches a log line");
  });
});

describe("runExporterConformance(pluginModule)", () => {
  it("works with the module alone, as DESIGN.md shows it", async () => {
    const report = await runExporterConformance(plugin({}));
    expect(report.checks.every((c) => c.ok)).toBe(true);
  });
});
