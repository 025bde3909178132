/**
 * `@pipelex/telemetry-core/testing`: for tests of apps and plugins.
 */
export { runExporterConformance } from "./testing/conformance.js";
export type { ConformanceOptions, ConformanceReport, ConformanceCheck } from "./testing/conformance.js";
export { inMemoryDestination, RecordingExporter } from "./testing/in-memory.js";
export type { InMemoryDestination } from "./testing/in-memory.js";
export { runSampleWorkflow, SAMPLE_CONTENT, SampleProviderError } from "./testing/sample-workflow.js";
