import { describe, expect, it } from "vitest";
import { GatewayDoNotTrackConflictError } from "../errors.js";
import { defineExporter } from "../plugin/define-exporter.js";
import { defineDestination } from "../plugin/destination-spec.js";
import { createTelemetry } from "../telemetry/create-telemetry.js";
import { RecordingExporter } from "../testing/in-memory.js";
import { runSampleWorkflow } from "../testing/sample-workflow.js";
import { isDoNotTrack } from "./do-not-track.js";

/** Python's rule: only `0` and `false` (trimmed, any case) mean "not set"; every other value is set. */
const DO_NOT_TRACK_TABLE: readonly (readonly [value: string, set: boolean])[] = [
  ["1", true],
  ["true", true],
  ["TRUE", true],
  ["yes", true],
  [" Yes ", true],
  ["no", true],
  ["off", true],
  [" OFF ", true],
  ["", true],
  ["   ", true],
  ["on", true],
  ["anything", true],
  ["00", true],
  ["0", false],
  [" 0 ", false],
  ["false", false],
  [" FALSE ", false],
  ["False", false],
];

function countingPlugin() {
  const counts = { create: 0, export: 0 };
  const plugin = defineExporter<{ tag: string }>({
    name: "counting",
    apiVersion: 2,
    parseOptions: (raw) => raw as { tag: string },
    secrets: () => [],
    defaultRedaction: () => [],
    describe: () => ({ sendsTo: "memory", receives: "full data", redacts: [] }),
    create: () => {
      counts.create++;
      const exporter = new RecordingExporter();
      const inner = exporter.export.bind(exporter);
      exporter.export = (spans, done) => {
        counts.export++;
        inner(spans, done);
      };
      return exporter;
    },
  });
  return { plugin, counts };
}

describe("isDoNotTrack", () => {
  it.each(DO_NOT_TRACK_TABLE)("DO_NOT_TRACK=%j counts as set: %s", (value, set) => {
    expect(isDoNotTrack({ DO_NOT_TRACK: value })).toBe(set);
  });
  it("treats an unset variable as not set", () => {
    expect(isDoNotTrack({})).toBe(false);
  });
});

describe("kill switch", () => {
  it.each(["1", "true", "yes", "no", "off", ""])(
    "with DO_NOT_TRACK=%j no plugin create() and no export() is ever called",
    async (value) => {
      const { plugin, counts } = countingPlugin();
      const direct = new RecordingExporter();
      const telemetry = createTelemetry({
        env: { DO_NOT_TRACK: value },
        destinations: [
          plugin.toDestination({ tag: "a" }),
          defineDestination({ name: "direct", redact: [], createExporter: () => direct }),
        ],
      });
      expect(telemetry.enabled).toBe(false);
      expect(telemetry.disabledReason).toContain("DO_NOT_TRACK");
      const value1 = await telemetry.pipeRun(
        { runId: "r", pipeCode: "p", pipeType: "PipeLLM" },
        async () => 41 + 1,
      );
      expect(value1).toBe(42);
      await runSampleWorkflow(telemetry);
      await telemetry.forceFlush();
      await telemetry.shutdown();
      expect(counts).toEqual({ create: 0, export: 0 });
      expect(direct.exportCalls).toBe(0);
      expect(telemetry.stats()).toEqual({});
    },
  );

  it.each([["0"], ["false"], [" FALSE "], [undefined]])(
    "with DO_NOT_TRACK=%j telemetry runs",
    async (value) => {
      const { plugin, counts } = countingPlugin();
      const env = value === undefined ? {} : { DO_NOT_TRACK: value };
      const telemetry = createTelemetry({ env, destinations: [plugin.toDestination({ tag: "a" })] });
      expect(telemetry.enabled).toBe(true);
      await runSampleWorkflow(telemetry);
      await telemetry.forceFlush();
      expect(counts.create).toBe(1);
      expect(counts.export).toBeGreaterThan(0);
      expect(telemetry.stats().counting?.exported).toBe(3);
    },
  );

  it("throws GatewayDoNotTrackConflictError when a mandatory destination is present", () => {
    const mandatory = defineDestination({
      name: "gateway",
      redact: [],
      mandatory: true,
      createExporter: () => new RecordingExporter(),
    });
    expect(() => createTelemetry({ env: { DO_NOT_TRACK: "1" }, destinations: [mandatory] })).toThrow(
      GatewayDoNotTrackConflictError,
    );
    expect(() => createTelemetry({ env: { DO_NOT_TRACK: "1" }, destinations: [mandatory] })).toThrow(
      /unset DO_NOT_TRACK, or stop using the gateway and use your own provider keys/,
    );
  });

  it("telemetry.disable() drops what is queued and sends nothing more", async () => {
    const exporter = new RecordingExporter();
    const telemetry = createTelemetry({
      env: {},
      destinations: [defineDestination({ name: "d", redact: [], createExporter: () => exporter })],
    });
    await runSampleWorkflow(telemetry);
    telemetry.disable();
    await runSampleWorkflow(telemetry);
    await telemetry.forceFlush();
    expect(exporter.exportCalls).toBe(0);
    expect(telemetry.stats().d?.dropped.killSwitch).toBe(3);
    expect(telemetry.disabledReason).toContain("kill switch");
    expect(telemetry.enabled).toBe(false);
  });

  it("guards every export: DO_NOT_TRACK set after start stops the next export", async () => {
    const env: Record<string, string | undefined> = {};
    const exporter = new RecordingExporter();
    const telemetry = createTelemetry({
      env,
      destinations: [defineDestination({ name: "d", redact: [], createExporter: () => exporter })],
    });
    await runSampleWorkflow(telemetry);
    env.DO_NOT_TRACK = "1";
    await telemetry.forceFlush();
    expect(exporter.exportCalls).toBe(0);
    expect(telemetry.stats().d?.dropped.killSwitch).toBe(3);
    // And from then on nothing is recorded.
    const result = telemetry.pipeRun({ runId: "r", pipeCode: "p", pipeType: "PipeLLM" }, () => "still runs");
    expect(result).toBe("still runs");
  });
});
