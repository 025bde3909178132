import { defineConfig, type ViteUserConfig } from "vitest/config";

// vitest 5 formats failures with Map.groupBy (Node 21+). On Node 20 a failing test would
// crash the reporter instead of being reported; this keeps failures readable.
if (typeof (Map as { groupBy?: unknown }).groupBy !== "function") {
  Object.defineProperty(Map, "groupBy", {
    configurable: true,
    writable: true,
    value<K, V>(items: Iterable<V>, keyOf: (item: V, index: number) => K): Map<K, V[]> {
      const groups = new Map<K, V[]>();
      let index = 0;
      for (const item of items) {
        const key = keyOf(item, index++);
        const group = groups.get(key);
        if (group) group.push(item);
        else groups.set(key, [item]);
      }
      return groups;
    },
  });
}

/** The vitest config every package uses: tests next to the code and in test/. */
export function packageVitestConfig(overrides: ViteUserConfig["test"] = {}): ViteUserConfig {
  return defineConfig({
    test: {
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      // The JSON report feeds scripts/test-summary.mjs, which prints the suite's closing line.
      reporters: ["default", ["json", { outputFile: ".tmp/vitest-results.json" }]],
      testTimeout: 30_000,
      hookTimeout: 30_000,
      ...overrides,
    },
  });
}
