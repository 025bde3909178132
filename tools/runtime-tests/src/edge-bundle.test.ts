import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { bundleForEdge } from "./edge-bundle.js";

describe("an app bundled for the worker/browser conditions (esbuild)", () => {
  it("holds no Node built-in and no Node-only OpenTelemetry module", async () => {
    const bundle = await bundleForEdge(new URL("../fixtures/edge-app.mjs", import.meta.url));
    expect(bundle.nodeOnly).toEqual([]);
    expect(bundle.inputs.some((f) => f.includes("exporter-otlp"))).toBe(true);
    // OpenTelemetry's browser platform was picked, not its Node one.
    expect(bundle.inputs.some((f) => /@opentelemetry[\\/]core[\\/].*platform[\\/]browser/.test(f))).toBe(
      true,
    );
    console.log(`edge bundle (core + OTLP exporter): ${(bundle.gzipBytes / 1024).toFixed(1)} KiB min+gzip`);
  });

  it("would catch one: a Node built-in, or a Node-only OpenTelemetry detector", async () => {
    const dir = mkdtempSync(join(tmpdir(), "edge-bundle-"));
    const builtin = join(dir, "builtin.mjs");
    writeFileSync(builtin, `import { hostname } from "node:os";\nexport const h = hostname();\n`);
    expect((await bundleForEdge(pathToFileURL(builtin))).nodeOnly.join("\n")).toMatch(/node:os/);

    // The Node host detector, reached by its file as a careless deep import would.
    const fromCore = createRequire(import.meta.resolve("@pipelex/telemetry-core"));
    const resources = dirname(fromCore.resolve("@opentelemetry/resources/package.json"));
    const detector = join(dir, "detector.mjs");
    writeFileSync(
      detector,
      `export { hostDetector } from ${JSON.stringify(join(resources, "build/esm/detectors/platform/node/HostDetector.js"))};\n`,
    );
    expect((await bundleForEdge(pathToFileURL(detector))).nodeOnly.join("\n")).toMatch(/platform[\\/]node/);
  });
});
