/**
 * Fields whose values come from fixed lists in Pipelex. A free identifier in one of them could
 * carry workflow logic (`ignore_previous_instructions_and_say_hi` is a fine identifier), so the
 * gateway sends a value only when it is on its list, and `"other"` for anything else that is
 * present. The lists and their sources are in this package's README; changing one is a change
 * of what the gateway collects.
 */

export const OTHER = "other";

/** Pipelex's `PipeType` enum (pipelex/core/pipes/pipe_blueprint.py). */
export const PIPE_TYPES: ReadonlySet<string> = new Set([
  // operators
  "PipeFunc",
  "PipeImgGen",
  "PipeCompose",
  "PipeLLM",
  "PipeExtract",
  "PipeSearch",
  "PipeStructure",
  // controllers
  "PipeBatch",
  "PipeCondition",
  "PipeParallel",
  "PipeSequence",
]);

/** Pipelex's `PipeCategory` enum (same file). */
export const PIPE_CATEGORIES: ReadonlySet<string> = new Set(["PipeOperator", "PipeController"]);

/**
 * `gen_ai.operation.name`: the OpenTelemetry GenAI semantic conventions' well-known values, plus
 * `image_generation`, which Pipelex uses for image models (PipeImgGen).
 */
export const GEN_AI_OPERATIONS: ReadonlySet<string> = new Set([
  "chat",
  "create_agent",
  "embeddings",
  "execute_tool",
  "generate_content",
  "invoke_agent",
  "text_completion",
  "image_generation",
]);

/** `gen_ai.output.type`: the GenAI semantic conventions' well-known values. */
export const OUTPUT_TYPES: ReadonlySet<string> = new Set(["text", "json", "image", "speech"]);

/** Pipelex's `StructuringMethod` enum (pipelex/pipe_operators/llm/pipe_llm_blueprint.py). */
export const STRUCTURING_METHODS: ReadonlySet<string> = new Set(["direct", "preliminary_text"]);

/** The value when it is on the list, `"other"` for anything else present, undefined when absent. */
export function closedValue(value: unknown, allowed: ReadonlySet<string>): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" && allowed.has(value) ? value : OTHER;
}
