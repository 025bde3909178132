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

/**
 * The name a redactor gives a span whose name it must clean but cannot rebuild (a pipe span
 * without a string pipe type, a span of unknown shape carrying a pipe code): made only of the
 * span category, a fixed word, so nothing of the old name survives.
 */
export function placeholderName(category: unknown): string {
  const kind = category === "pipe" || category === "inference" ? category : "span";
  return `${kind}: ${REDACTED}`;
}

/**
 * The name after a redactor replaced `hadField` (the pipe code or class name attribute): core's
 * spans are renamed from their attributes, whether or not the attribute was there (a malformed
 * call can leave it out while the name still holds it); any other span that carried the field
 * gets the placeholder; the rest keep their name.
 */
export function redactedName(currentName: string, attributes: Attributes, hadField: boolean): string {
  const category = attributes[ATTR.SPAN_CATEGORY];
  if (category === "pipe" || category === "inference")
    return nameFromAttributes(currentName, attributes) ?? placeholderName(category);
  return hadField ? placeholderName(category) : currentName;
}

/** The trace name a root pipe span should carry once its pipe code is redacted. */
export function redactedTraceName(span: ReadableSpan): string {
  return traceName(undefined, span.spanContext().traceId);
}
