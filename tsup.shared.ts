import { defineConfig, type Options } from "tsup";

/**
 * The build of every published library entry: ESM + CJS + types. Platform "neutral" with
 * `node:` built-ins external and their prefix kept, because these packages must also load on
 * edge runtimes, which resolve built-ins only by their `node:` names.
 */
export function libraryBuildOptions(overrides: Options = {}): Options {
  return {
    entry: { index: "src/index.ts" },
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    sourcemap: true,
    // Maps give stack traces the TypeScript file and line; the source text itself is not embedded
    // (it was most of each tarball, twice: once in the ESM map, once in the CJS one).
    esbuildOptions(options) {
      options.sourcesContent = false;
    },
    target: "es2022",
    platform: "neutral",
    external: [/^node:/],
    removeNodeProtocol: false,
    // Shared chunks for CJS too (ESM splits by default): otherwise each CJS entry point carries
    // its own copy of the error classes, and `instanceof` fails across /plugin and the root.
    splitting: true,
    ...overrides,
  };
}

export const libraryBuild = (overrides: Options = {}) => defineConfig(libraryBuildOptions(overrides));
