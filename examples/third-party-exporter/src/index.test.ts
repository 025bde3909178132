import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTelemetry, dropContent, TelemetryConfigError } from "@pipelex/telemetry-core";
import { runExporterConformance, runSampleWorkflow, SAMPLE_CONTENT } from "@pipelex/telemetry-core/testing";
import { describe, expect, it } from "vitest";
import * as pluginModule from "./index.js";
import { jsonLines } from "./index.js";

const tempFile = () => join(mkdtempSync(join(tmpdir(), "pipelex-jsonl-")), "spans.jsonl");

describe("pipelex-telemetry-exporter-example", () => {
  it("passes the exporter conformance suite", async () => {
    const report = await runExporterConformance(pluginModule, {
      options: { path: tempFile() },
      // The import-time check imports the built module in a child process.
      importFrom: new URL("../dist/index.js", import.meta.url),
      watchMs: 500,
    });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    // It writes a file and sends nothing: only the network checks' "nothing is sent after" applies.
    expect(report.requestsReceived).toBe(0);
  });

  it("writes one JSON line per span, redacted as the app asks", async () => {
    const path = tempFile();
    const telemetry = createTelemetry({
      env: {},
      destinations: [jsonLines({ path, redact: [dropContent()] })],
    });
    await runSampleWorkflow(telemetry);
    await telemetry.shutdown();
    const lines = readFileSync(path, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.name).sort()).toEqual([
      "PipeLLM: summarize_contract",
      "summarize_contract: job-1 (gpt-4o) -> ContractSummary",
      "summarize_contract: job-2 (gpt-4o-mini) -> text",
    ]);
    expect(readFileSync(path, "utf8")).not.toContain(SAMPLE_CONTENT.prompt);
    expect(telemetry.stats()["json-lines"]?.exported).toBe(3);
  });

  it("rejects bad options with TelemetryConfigError naming the key", () => {
    expect(() => jsonLines({ path: "" })).toThrow(TelemetryConfigError);
    expect(() => jsonLines({ path: "x", colour: "red" } as never)).toThrow(/key "colour": unknown key/);
  });
});
