import type { ExportResult } from "@opentelemetry/core";
import { ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { defineExporter, PLUGIN_API_VERSION } from "../plugin/define-exporter.js";
import { destination } from "../plugin/destination.js";
import { createTelemetry } from "../telemetry/create-telemetry.js";
import { runSampleWorkflow } from "../testing/sample-workflow.js";
import { handleGuardInstalled } from "./contain-handles.js";

type Timer = ReturnType<typeof setTimeout>;
const tick = () => new Promise((resolve) => setImmediate(resolve));

/**
 * What the official OTLP exporter does (its own timers, a retry after an await, a handle it re-refs
 * later), without a network: every handle it makes is kept for the test to look at.
 */
class TimerExporter implements SpanExporter {
  readonly timers: Timer[] = [];
  readonly fired: string[] = [];
  readonly interval: ReturnType<typeof setInterval>;
  constructor() {
    // Started at creation, as exporters with their own flush loop do.
    this.interval = setInterval(() => {}, 60_000);
  }
  export(_spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    const timer = setTimeout(() => this.fired.push("request timeout"), 20);
    this.timers.push(timer);
    void (async () => {
      await Promise.resolve();
      // A retry wait scheduled after an await: still the exporter's.
      this.timers.push(setTimeout(() => this.fired.push("retry"), 30));
      done({ code: ExportResultCode.SUCCESS });
    })();
  }
  /** The exporter's own code re-arms one of its handles (an agent reusing a keep-alive socket). */
  rearm(timer: Timer): void {
    timer.ref();
  }
  async shutdown(): Promise<void> {
    clearInterval(this.interval);
  }
}

/** A plugin around `create`, declaring `neverHoldsProcess` or not. */
const pluginOf = (create: () => SpanExporter, neverHoldsProcess: boolean) =>
  defineExporter({
    name: "plugin",
    apiVersion: PLUGIN_API_VERSION,
    parseOptions: () => ({}),
    secrets: () => [],
    defaultRedaction: () => [],
    describe: () => ({ sendsTo: "nowhere", receives: "full data" as const, redacts: [] }),
    neverHoldsProcess,
    create,
  });

const silentTelemetry = (exporter: SpanExporter | ReturnType<typeof destination>) =>
  createTelemetry({
    env: {},
    logLevel: "silent",
    destinations: ["export" in exporter ? destination({ name: "foreign", exporter }) : exporter],
  });

describe("the handles of a foreign exporter never hold the process (Node)", () => {
  it("is not installed for plugins that declare neverHoldsProcess", async () => {
    const telemetry = silentTelemetry(pluginOf(() => new TimerExporter(), true).toDestination({}));
    await runSampleWorkflow(telemetry);
    await telemetry.shutdown({ timeoutMs: 500 });
    // Must run first in this file: the guard, once installed, stays for the process.
    expect(handleGuardInstalled()).toBe(false);
  });

  it("unrefs the timers a plugin's exporter makes at creation, in export and after an await; they still fire", async () => {
    let exporter: TimerExporter | undefined;
    const plugin = pluginOf(() => {
      exporter = new TimerExporter();
      return exporter;
    }, false);
    const telemetry = silentTelemetry(plugin.toDestination({}, { delivery: { scheduledDelayMillis: 1 } }));
    await runSampleWorkflow(telemetry);
    await telemetry.forceFlush();
    await tick();
    expect(handleGuardInstalled()).toBe(true);
    expect(exporter!.interval.hasRef()).toBe(false);
    expect(exporter!.timers.length).toBeGreaterThanOrEqual(2);
    expect(exporter!.timers.map((t) => t.hasRef())).toEqual(exporter!.timers.map(() => false));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(exporter!.fired).toEqual(expect.arrayContaining(["request timeout", "retry"]));
    await telemetry.shutdown({ timeoutMs: 500 });
  });

  it("leaves alone what an exporter given to destination() made before it was given", async () => {
    const exporter = new TimerExporter();
    const telemetry = silentTelemetry(exporter);
    await runSampleWorkflow(telemetry);
    await telemetry.shutdown({ timeoutMs: 500 });
    expect(exporter.interval.hasRef()).toBe(true);
    clearInterval(exporter.interval);
  });

  it("ignores ref() from the exporter's own code, honours the app's, leaves the app's timers alone", async () => {
    const exporter = new TimerExporter();
    clearInterval(exporter.interval);
    const spec = destination({ name: "foreign", exporter, delivery: { scheduledDelayMillis: 1 } });
    const telemetry = silentTelemetry(spec);
    await runSampleWorkflow(telemetry);
    await telemetry.forceFlush();
    await tick();
    const timer = exporter.timers[0]!;
    // From inside the exporter (its export call's context): ignored.
    const rearmed = new Promise<void>((resolve) => {
      exporter.export = (_spans, done) => {
        exporter.rearm(timer);
        done({ code: ExportResultCode.SUCCESS });
        resolve();
      };
    });
    await runSampleWorkflow(telemetry);
    await telemetry.forceFlush();
    await rearmed;
    expect(timer.hasRef()).toBe(false);
    // From the app (a shared, pooled socket the app itself uses): honoured.
    timer.ref();
    expect(timer.hasRef()).toBe(true);
    timer.unref();
    // The app's own timers, made while the guard is on, are not touched.
    const appTimer = setTimeout(() => {}, 10);
    await tick();
    expect(appTimer.hasRef()).toBe(true);
    clearTimeout(appTimer);
    await telemetry.shutdown({ timeoutMs: 500 });
  });

  it("keeps forceFlush absent when the exporter has none, and calls it when it has one", async () => {
    const calls: string[] = [];
    const withFlush: SpanExporter = {
      export: (_spans, done) => done({ code: ExportResultCode.SUCCESS }),
      shutdown: async () => {},
      forceFlush: async () => {
        calls.push("flush");
      },
    };
    const withoutFlush: SpanExporter = {
      export: (_spans, done) => done({ code: ExportResultCode.SUCCESS }),
      shutdown: async () => {},
    };
    const context = {} as Parameters<ReturnType<typeof destination>["createExporter"]>[0];
    expect(
      destination({ name: "a", exporter: withoutFlush }).createExporter(context).forceFlush,
    ).toBeUndefined();
    const contained = destination({ name: "b", exporter: withFlush }).createExporter(context);
    await contained.forceFlush?.();
    expect(calls).toEqual(["flush"]);
  });

  it("destination({ neverHoldsProcess: true }) hands the exporter over unwatched; a non-boolean is refused", () => {
    const exporter: SpanExporter = {
      export: (_spans, done) => done({ code: ExportResultCode.SUCCESS }),
      shutdown: async () => {},
    };
    const context = {} as Parameters<ReturnType<typeof destination>["createExporter"]>[0];
    expect(destination({ name: "a", exporter, neverHoldsProcess: true }).createExporter(context)).toBe(
      exporter,
    );
    expect(destination({ name: "b", exporter }).createExporter(context)).not.toBe(exporter);
    expect(() =>
      destination({ name: "c", exporter, neverHoldsProcess: "yes" as unknown as boolean }),
    ).toThrow(/neverHoldsProcess must be a boolean/);
  });
});
