/**
 * `@pipelex/telemetry-core/testing`: for tests of apps and plugins.
 */

export type {
  ConformanceCheck,
  ConformanceOptions,
  ConformanceReceiver,
  ConformanceReport,
} from "./testing/conformance/run.js";
export { CONFORMANCE_CHECKS, runExporterConformance } from "./testing/conformance/run.js";
export type { InMemoryDestination } from "./testing/in-memory.js";
export { inMemoryDestination, RecordingExporter } from "./testing/in-memory.js";
export { runSampleWorkflow, SAMPLE_CONTENT, SampleProviderError } from "./testing/sample-workflow.js";
