import {
  type AppIdsPolicy,
  dropAppIds,
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
export function posthogRedactionPolicy(options: Pick<PosthogOptions, "tracing" | "mode">): Redactor[] {
  const capture = options.tracing.capture;
  const policy: Redactor[] = [];
  if (!capture.content) policy.push(dropContent());
  else if (capture.contentMaxLength !== undefined) policy.push(truncateContent(capture.contentMaxLength));
  if (!capture.pipeCodes) policy.push(redactPipeCodes());
  if (!capture.outputClassNames) policy.push(redactClassNames());
  // Always: ids that are sent must be code-shaped, whatever is captured.
  policy.push(dropAppIds(appIdsCaptured(options)));
  return policy;
}

/**
 * Which app-chosen ids are sent: in `anonymous` mode none unless opted in per field (an app may
 * use an email as a session id); in `identified` mode both unless turned off.
 */
export function appIdsCaptured(options: Pick<PosthogOptions, "tracing" | "mode">): Required<AppIdsPolicy> {
  const capture = options.tracing.capture;
  const byDefault = options.mode === "identified";
  return { sessionIds: capture.sessionIds ?? byDefault, jobIds: capture.jobIds ?? byDefault };
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
    ...describeAppIds(appIdsCaptured(options)),
    ...(options.redactProperties.length > 0
      ? [`event properties: ${options.redactProperties.join(", ")}`]
      : []),
  ];
}

function describeAppIds(ids: Required<AppIdsPolicy>): string[] {
  const dropped = [!ids.sessionIds && "session ids", !ids.jobIds && "job ids"].filter(Boolean) as string[];
  const checked = [ids.sessionIds && "session", ids.jobIds && "job"].filter(Boolean) as string[];
  return [
    ...(dropped.length > 0 ? [dropped.join(" and ")] : []),
    ...(checked.length > 0 ? [`${checked.join(" and ")} ids that are not code-shaped`] : []),
  ];
}
