import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// An app that composes destinations in code must not load what only config loading needs: the
// TOML parser and zod. Checks the published builds (`pnpm test` builds before testing).
const dist = resolve(dirname(fileURLToPath(import.meta.url)), "../dist");
const CONFIG_ONLY = ["zod", "smol-toml"];

/** Every file the ESM entry imports statically (not through `import()`), transitively. */
function staticImports(entry: string): { files: string[]; packages: string[] } {
  const files: string[] = [];
  const packages = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.includes(file)) continue;
    files.push(file);
    const source = readFileSync(file, "utf8");
    // esbuild writes static imports and re-exports at the start of a line, ending with `;`.
    for (const [, specifier] of source.matchAll(/^(?:import|export)\b[^;]*?(?:from\s*)?"([^"]+)";/gm)) {
      if (specifier!.startsWith(".")) pending.push(join(dirname(file), specifier!));
      else packages.add(specifier!);
    }
  }
  return { files, packages: [...packages] };
}

describe("the root entry loads config code only when config is loaded", () => {
  it("ESM: nothing the root imports statically imports zod or smol-toml", () => {
    const { files, packages } = staticImports(join(dist, "index.js"));
    expect(files.length).toBeGreaterThan(1);
    expect(packages).toContain("@opentelemetry/sdk-trace-base"); // the walk does see packages
    for (const name of CONFIG_ONLY) expect(packages).not.toContain(name);
  });

  it("CJS: requiring the root loads neither; loadTelemetry still works and loads them then", () => {
    const cwd = mkdtempSync(join(tmpdir(), "pipelex-lazy-"));
    const script = `
      const loaded = () => ${JSON.stringify(CONFIG_ONLY)}.filter((name) =>
        Object.keys(require.cache).some((file) => file.includes("/node_modules/" + name + "/")));
      const core = require(${JSON.stringify(join(dist, "index.cjs"))});
      const before = loaded();
      core.loadTelemetry({ cwd: ${JSON.stringify(cwd)}, homeDir: ${JSON.stringify(cwd)}, env: {} })
        .then((telemetry) => console.log(JSON.stringify({ before, after: loaded(), pipeRun: typeof telemetry.pipeRun })));`;
    const result = JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }));
    expect(result).toEqual({ before: [], after: expect.arrayContaining(["smol-toml"]), pipeRun: "function" });
  });
});
