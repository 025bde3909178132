/**
 * `@pipelex/telemetry-core/testing`: for tests of apps and plugins.
 */

export type { ConformanceCheck, ConformanceOptions, ConformanceReport } from "./testing/conformance.js";
export { runExporterConformance } from "./testing/conformance.js";
export type { InMemoryDestination } from "./testing/in-memory.js";
export { inMemoryDestination, RecordingExporter } from "./testing/in-memory.js";
export { runSampleWorkflow, SAMPLE_CONTENT, SampleProviderError } from "./testing/sample-workflow.js";
