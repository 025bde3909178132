import type { Attributes } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { ATTR, REDACTED, REDACTED_CLASS_NAME } from "./attributes.js";
import { inferenceSpanName, pipeSpanName, traceName } from "./naming.js";

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/**
 * Recomputes a span's name from its (possibly redacted) attributes, so a redactor that replaces
 * the pipe code or class name also removes it from the name. Spans core did not create keep
 * `currentName` (their names are left to maskPatterns); `undefined` when a pipe span lacks the
 * attributes its name is made of.
 */
export function nameFromAttributes(currentName: string, attributes: Attributes): string | undefined {
  const category = attributes[ATTR.SPAN_CATEGORY];
  if (category === "pipe") {
    const type = str(attributes[ATTR.PIPE_TYPE]);
    const code = str(attributes[ATTR.PIPE_CODE]);
    return type !== undefined && code !== undefined ? pipeSpanName(type, code) : undefined;
  }
  if (category === "inference") {
    const className = str(attributes[ATTR.OUTPUT_CLASS_NAME]);
    return inferenceSpanName({
      pipeCode: str(attributes[ATTR.PIPE_CODE]),
      jobId: str(attributes[ATTR.JOB_ID]),
      model: str(attributes[ATTR.GEN_AI_REQUEST_MODEL]) ?? "unknown",
      operation: str(attributes[ATTR.GEN_AI_OPERATION_NAME]) ?? "chat",
      output:
        className === REDACTED
          ? REDACTED_CLASS_NAME
          : (className ?? str(attributes[ATTR.GEN_AI_OUTPUT_TYPE]) ?? "text"),
    });
  }
  return currentName;
}

/** The trace name a root pipe span should carry once its pipe code is redacted. */
export function redactedTraceName(span: ReadableSpan): string {
  return traceName(undefined, span.spanContext().traceId);
}
