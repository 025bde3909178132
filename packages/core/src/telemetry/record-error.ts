import { type Span, SpanStatusCode } from "@opentelemetry/api";
import { ATTR, EXCEPTION_EVENT } from "../span/attributes.js";

/** The error's class (or name), never its message: messages are content. */
export function errorType(error: unknown): string {
  if (error instanceof Error) {
    const ctorName = (error.constructor as { name?: string } | undefined)?.name;
    if (ctorName && ctorName !== "Error") return ctorName;
    return error.name || "Error";
  }
  return error === null ? "null" : typeof error;
}

function numericStatus(error: object): number | undefined {
  const candidate =
    (error as { status?: unknown; statusCode?: unknown }).status ??
    (error as { statusCode?: unknown }).statusCode;
  return typeof candidate === "number" && Number.isInteger(candidate) ? candidate : undefined;
}

/**
 * Status ERROR, `error.type`, code and HTTP status where the error has them, and an exception
 * event. The message and stack are recorded only when some destination may receive content.
 */
export function recordError(span: Span, error: unknown, withContent: boolean): void {
  const type = errorType(error);
  span.setAttribute(ATTR.ERROR_TYPE, type);
  span.setAttribute(ATTR.OUTCOME, "failure");
  if (typeof error === "object" && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" || typeof code === "number")
      span.setAttribute(ATTR.ERROR_CODE, String(code));
    const status = numericStatus(error);
    if (status !== undefined) span.setAttribute(ATTR.HTTP_RESPONSE_STATUS_CODE, status);
  }
  const message = withContent ? (error instanceof Error ? error.message : String(error)) : undefined;
  const eventAttributes: Record<string, string> = { [EXCEPTION_EVENT.TYPE]: type };
  if (withContent) {
    eventAttributes[EXCEPTION_EVENT.MESSAGE] = message ?? "";
    if (error instanceof Error && error.stack) eventAttributes[EXCEPTION_EVENT.STACKTRACE] = error.stack;
  }
  span.addEvent(EXCEPTION_EVENT.NAME, eventAttributes);
  span.setStatus(
    message === undefined ? { code: SpanStatusCode.ERROR } : { code: SpanStatusCode.ERROR, message },
  );
}
