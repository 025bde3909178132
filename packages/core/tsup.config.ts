import { defineConfig } from "tsup";
import { libraryBuildOptions } from "../../tsup.shared.js";

export default defineConfig([
  libraryBuildOptions({
    entry: { index: "src/index.ts", plugin: "src/plugin.ts", testing: "src/testing.ts" },
  }),
  {
    // The CLI is Node-only and never imported by library code.
    entry: { cli: "src/cli/main.ts" },
    format: ["esm"],
    platform: "node",
    target: "node20",
    banner: { js: "#!/usr/bin/env node" },
    // No map: users run the CLI, they do not step into it, and its map was the largest file in
    // the tarball (library entries keep theirs, see the README's "What ships").
    sourcemap: false,
  },
]);
