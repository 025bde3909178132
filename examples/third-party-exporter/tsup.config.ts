import { defineConfig } from "tsup";

// Self-contained (no monorepo files), so the folder can be copied out as is. ESM + CJS + types;
// core stays external: it is the app's own copy (a peer dependency).
export default defineConfig({
  entry: { index: "src/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  platform: "neutral",
  external: [/^node:/, /^@pipelex\//, /^@opentelemetry\//],
});
