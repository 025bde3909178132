import { packageVitestConfig } from "../../vitest.shared.js";

// Installs from the registry and full runtimes starting: generous bounds for a loaded machine.
export default packageVitestConfig({ testTimeout: 120_000, hookTimeout: 240_000 });
