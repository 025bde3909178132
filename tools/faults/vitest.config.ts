import { packageVitestConfig } from "../../vitest.shared.js";

// Each file times the exits of its own child processes: one file at a time, so one file's
// children never take the CPU the other's are timed on.
export default packageVitestConfig({ testTimeout: 600_000, fileParallelism: false });
