import { gunzipSync } from "node:zlib";

/** One request an exporter made during `preview`, decoded for people to read. */
export interface CapturedRequest {
  readonly method: string;
  /** Without query or fragment (a query may carry a token). */
  readonly url: string;
  readonly contentType: string | undefined;
  /** Parsed JSON when the body is JSON (after gunzip), else a note on what it is. */
  readonly body: unknown;
}

/**
 * A `fetch` that never touches the network: it records each request and answers 200 with `{}`.
 * Handed to exporters as `context.fetch`.
 */
export function createCaptureFetch(): { fetch: typeof fetch; requests: CapturedRequest[] } {
  const requests: CapturedRequest[] = [];
  const capture = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const bytes = new Uint8Array(await request.arrayBuffer());
    const method = request.method.toUpperCase();
    requests.push({
      method,
      url: withoutQuery(request.url),
      contentType: request.headers.get("content-type") ?? undefined,
      body: decodeBody(bytes, request.headers.get("content-type")),
    });
    return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
  };
  return { fetch: capture as typeof fetch, requests };
}

function withoutQuery(url: string): string {
  const parsed = new URL(url);
  const hidden = parsed.search !== "" || parsed.hash !== "";
  parsed.search = "";
  parsed.hash = "";
  return hidden ? `${parsed.toString()} (query hidden)` : parsed.toString();
}

/** gzip is undone by its magic bytes (some senders omit Content-Encoding on a Request). */
export function decodeBody(bytes: Uint8Array, contentType: string | null): unknown {
  let data = bytes;
  if (data.length > 2 && data[0] === 0x1f && data[1] === 0x8b) data = new Uint8Array(gunzipSync(data));
  const text = new TextDecoder().decode(data);
  if (contentType?.includes("json") || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // Not JSON after all: described below.
    }
  }
  return `(${data.length} bytes of ${contentType ?? "unknown content"}, not shown)`;
}
