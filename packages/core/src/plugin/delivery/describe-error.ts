/** Why a delivery attempt failed, in words a user can act on. */
export type DeliveryCause =
  | "connection refused"
  /** fetch refuses some ports outright (the WHATWG "bad port" list: 9, 25, 6000, ...); never retried. */
  | "port blocked by fetch"
  | "DNS failure"
  | "timeout"
  | "TLS error"
  | "connection reset"
  | "invalid response"
  | "network error"
  | "aborted"
  | "HTTP status";

/**
 * A failed attempt: `message` names the cause and the host (`connection refused (127.0.0.1:9)`),
 * never a credential, a path or a query. `status` is set when the server answered.
 */
export class DeliveryError extends Error {
  override readonly name = "DeliveryError";
  constructor(
    readonly kind: DeliveryCause,
    readonly host: string,
    readonly status?: number,
    detail?: string,
  ) {
    super(`${kind === "HTTP status" ? `HTTP ${status}` : kind}${detail ? ` ${detail}` : ""} (${host})`);
  }
}

/** `host:port` of a URL, without user info, path or query; "(invalid URL)" when it does not parse. */
/**
 * An endpoint for logs, `status` and `describe`: origin and path (none for a bare `/`), the query replaced by `?…`
 * (a query may carry a token), credentials never shown.
 */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const path = parsed.pathname === "/" ? "" : parsed.pathname;
    return `${parsed.origin}${path}${parsed.search ? "?…" : ""}`;
  } catch {
    return "(invalid URL)";
  }
}

export function hostOf(url: string | URL): string {
  try {
    const parsed = typeof url === "string" ? new URL(url) : url;
    return parsed.host || "(no host)";
  } catch {
    return "(invalid URL)";
  }
}

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|EPROTO$|HOSTNAME_MISMATCH)/;

/** The system or undici code of a fetch failure, looked up along its `cause` chain. */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") codes.push(code);
    const errors = (current as { errors?: unknown }).errors; // AggregateError (happy eyeballs)
    if (Array.isArray(errors)) for (const inner of errors) codes.push(...codesOf(inner));
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

function messageOf(value: unknown): string | undefined {
  return value instanceof Error ? value.message : undefined;
}

/** Classifies a thrown fetch error (undici's TypeError and its cause) into a DeliveryCause. */
export function causeOf(error: unknown): DeliveryCause {
  if (error instanceof DeliveryError) return error.kind;
  const codes = codesOf(error);
  const has = (test: (code: string) => boolean) => codes.some(test);
  if (has((c) => c === "ECONNREFUSED")) return "connection refused";
  if (messageOf((error as { cause?: unknown } | undefined)?.cause) === "bad port")
    return "port blocked by fetch";
  if (has((c) => c === "ENOTFOUND" || c === "EAI_AGAIN" || c === "EAI_NONAME" || c === "EAI_FAIL"))
    return "DNS failure";
  if (has((c) => TLS_CODE.test(c))) return "TLS error";
  if (has((c) => c.startsWith("HPE_") || c === "UND_ERR_INFO" || c === "UND_ERR_RES_CONTENT_LENGTH_MISMATCH"))
    return "invalid response";
  if (has((c) => c === "ECONNRESET" || c === "EPIPE" || c === "UND_ERR_SOCKET" || c === "UND_ERR_CLOSED"))
    return "connection reset";
  if (has((c) => c === "ETIMEDOUT" || c === "UND_ERR_CONNECT_TIMEOUT" || c === "UND_ERR_HEADERS_TIMEOUT"))
    return "timeout";
  const name = error instanceof Error ? error.name : "";
  if (name === "TimeoutError") return "timeout";
  if (name === "AbortError") return "aborted";
  if (error instanceof SyntaxError) return "invalid response";
  return "network error";
}

/**
 * One line naming the host and the cause of a failed delivery: `connection refused
 * (127.0.0.1:9)`, `DNS failure (collector.invalid)`, `HTTP 503 (eu.i.posthog.com)`. Built from
 * the error's codes only, never its message (which may quote a URL with a key in its query).
 */
export function describeDeliveryError(error: unknown, url: string | URL): string {
  if (error instanceof DeliveryError) return error.message;
  const status = (error as { status?: unknown } | undefined)?.status;
  if (typeof status === "number" && Number.isInteger(status)) return `HTTP ${status} (${hostOf(url)})`;
  return `${causeOf(error)} (${hostOf(url)})`;
}

/** The DeliveryError for a thrown fetch error. */
export function toDeliveryError(error: unknown, url: string | URL): DeliveryError {
  if (error instanceof DeliveryError) return error;
  return new DeliveryError(causeOf(error), hostOf(url));
}
