// Import cost in a fresh process: CPU milliseconds from the first import statement to having the
// module (CPU time: steadier than wall time on a shared machine), median of several processes, for core alone and core with each exporter, against
// `@opentelemetry/sdk-trace-base` alone. The CJS run also lists what config-only dependencies
// (zod, smol-toml) got loaded: an app that composes destinations in code should load none.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { median } from "./measure.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));

export const IMPORT_TARGETS = {
  "@opentelemetry/sdk-trace-base alone": ["@opentelemetry/sdk-trace-base"],
  core: ["@pipelex/telemetry-core"],
  "core + posthog": ["@pipelex/telemetry-core", "@pipelex/telemetry-exporter-posthog"],
  "core + langfuse": ["@pipelex/telemetry-core", "@pipelex/telemetry-exporter-langfuse"],
  "core + otlp": ["@pipelex/telemetry-core", "@pipelex/telemetry-exporter-otlp"],
};

const CONFIG_ONLY = ["zod", "smol-toml"];

function esmMs(specifiers) {
  const code = `const t = process.cpuUsage(); ${specifiers
    .map((s) => `await import(${JSON.stringify(s)});`)
    .join(" ")} const u = process.cpuUsage(t); console.log((u.user + u.system) / 1000);`;
  return Number(
    execFileSync(process.execPath, ["--input-type=module", "-e", code], { cwd: here, encoding: "utf8" }),
  );
}

function cjs(specifiers) {
  const code = `const t = process.cpuUsage(); ${specifiers
    .map((s) => `require(${JSON.stringify(s)});`)
    .join(" ")} const u = process.cpuUsage(t); const ms = (u.user + u.system) / 1000;
    const loaded = ${JSON.stringify(CONFIG_ONLY)}.filter((name) => Object.keys(require.cache).some((f) => f.includes("/node_modules/" + name + "/")));
    console.log(JSON.stringify({ ms, loaded }));`;
  return JSON.parse(execFileSync(process.execPath, ["-e", code], { cwd: here, encoding: "utf8" }));
}

/** For each target: median ESM and CJS import ms over `runs` fresh processes, and what loaded. */
export function measureImportCost({ runs }) {
  const results = {};
  for (const [name, specifiers] of Object.entries(IMPORT_TARGETS)) {
    const esm = [];
    const cjsMs = [];
    let loaded = [];
    for (let r = 0; r < runs; r++) {
      esm.push(esmMs(specifiers));
      const c = cjs(specifiers);
      cjsMs.push(c.ms);
      loaded = c.loaded;
    }
    results[name] = { esmMs: median(esm), cjsMs: median(cjsMs), configOnlyLoaded: loaded };
  }
  return results;
}
