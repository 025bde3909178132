/** A failed delivery to Langfuse; `status` is the HTTP status when Langfuse answered. */
export class LangfuseExportError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "LangfuseExportError";
  }
}

const HINTS: Readonly<Record<number, string>> = {
  401: "check the public/secret key pair and that the endpoint is the project's region",
  403: "the key pair may not ingest into this project",
  404: "the endpoint does not look like a Langfuse base URL",
  413: "the request was too large; lower flushAt or truncate content",
};

/**
 * One readable line for core's (masked, rate-limited) warning. The response body is left out:
 * it is the server's, may be long, and is not needed to act on the status.
 */
export function describeExportError(error: unknown): LangfuseExportError {
  const status = httpStatus(error);
  if (status !== undefined) {
    const hint = HINTS[status];
    return new LangfuseExportError(`Langfuse answered HTTP ${status}${hint ? `: ${hint}` : ""}`, status, {
      cause: error,
    });
  }
  const reason = error instanceof Error ? error.message || error.name : String(error);
  return new LangfuseExportError(`could not deliver to Langfuse: ${reason}`, undefined, { cause: error });
}

/** The toolkit's DeliveryError carries the HTTP status in `status` (OTLPExporterError in `code`). */
function httpStatus(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { status, code } = error as { status?: unknown; code?: unknown };
  const value = status ?? code;
  return typeof value === "number" && Number.isInteger(value) && value >= 100 && value < 600
    ? value
    : undefined;
}
