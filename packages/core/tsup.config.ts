import { defineConfig } from "tsup";

export default defineConfig([
  {
    entry: { index: "src/index.ts", plugin: "src/plugin.ts", testing: "src/testing.ts" },
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    sourcemap: true,
    target: "es2022",
    // Edge runtimes resolve built-ins only by their `node:` names; keep the prefix.
    removeNodeProtocol: false,
    // Not "node": the library must also load on edge runtimes.
    platform: "neutral",
    external: [/^node:/],
  },
  {
    // The CLI is Node-only and never imported by library code.
    entry: { cli: "src/cli/main.ts" },
    format: ["esm"],
    platform: "node",
    target: "node20",
    banner: { js: "#!/usr/bin/env node" },
    sourcemap: true,
  },
]);
