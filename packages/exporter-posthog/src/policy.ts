import {
  dropContent,
  type Redactor,
  redactClassNames,
  redactPipeCodes,
  truncateContent,
} from "@pipelex/telemetry-core";
import type { PosthogOptions } from "./options.js";

/**
 * The span redaction a PostHog destination gets, derived from `tracing.capture` alone; core
 * applies it to this destination's own copy of each span before `export` sees it.
 * `redactProperties` is not a span redactor: it names event properties the exporter drops when
 * it maps spans to events.
 */
export function posthogRedactionPolicy(options: Pick<PosthogOptions, "tracing">): Redactor[] {
  const capture = options.tracing.capture;
  const policy: Redactor[] = [];
  if (!capture.content) policy.push(dropContent());
  else if (capture.contentMaxLength !== undefined) policy.push(truncateContent(capture.contentMaxLength));
  if (!capture.pipeCodes) policy.push(redactPipeCodes());
  if (!capture.outputClassNames) policy.push(redactClassNames());
  return policy;
}

/** The same policy in words, for `pipelex-telemetry status`. */
export function describePosthogRedaction(options: PosthogOptions): string[] {
  const capture = options.tracing.capture;
  return [
    ...(capture.content
      ? capture.contentMaxLength !== undefined
        ? [`content truncated to ${capture.contentMaxLength} characters`]
        : []
      : ["content (prompts, completions, error messages)"]),
    ...(capture.pipeCodes ? [] : ["pipe codes"]),
    ...(capture.outputClassNames ? [] : ["output class names"]),
    ...(options.redactProperties.length > 0
      ? [`event properties: ${options.redactProperties.join(", ")}`]
      : []),
  ];
}
