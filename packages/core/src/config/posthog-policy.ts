import { dropContent } from "../redaction/drop-content.js";
import { redactClassNames, redactPipeCodes } from "../redaction/redact-names.js";
import type { Redactor } from "../redaction/redactor.js";
import { truncateContent } from "../redaction/truncate-content.js";
import type { PosthogOptions } from "./sections.js";

/**
 * The redaction a PostHog destination applies, derived from `tracing.capture` alone. Lives in
 * core so the exporter (its default policy) and `pipelex-telemetry status`/`preview` (which
 * must not import the exporter) agree on what PostHog receives. `redact_properties` is not a
 * span redactor: it names event properties the exporter drops when it maps spans to events.
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
