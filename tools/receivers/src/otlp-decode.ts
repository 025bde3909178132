import protobuf from "protobufjs";
import { OTLP_TRACE_PROTOS } from "./otlp-protos.js";

/** How an OTLP/HTTP body is encoded, from its Content-Type. */
export type OtlpEncoding = "protobuf" | "json";

/** A decoded attribute value, as plain JavaScript (int64 as number when safe, else decimal string). */
export type OtlpValue =
  | string
  | number
  | boolean
  | Uint8Array
  | null
  | OtlpValue[]
  | { [key: string]: OtlpValue };

export interface OtlpEvent {
  readonly name: string;
  readonly timeUnixNano: bigint;
  readonly attributes: Record<string, OtlpValue>;
}

export interface OtlpLink {
  readonly traceId: string;
  readonly spanId: string;
  readonly attributes: Record<string, OtlpValue>;
}

export const OTLP_SPAN_KINDS = [
  "UNSPECIFIED",
  "INTERNAL",
  "SERVER",
  "CLIENT",
  "PRODUCER",
  "CONSUMER",
] as const;
export const OTLP_STATUS_CODES = ["UNSET", "OK", "ERROR"] as const;

/** One span of an ExportTraceServiceRequest, flattened with its resource and scope, for assertions. */
export interface OtlpSpan {
  readonly name: string;
  /** Lower-case hex, 32 characters. */
  readonly traceId: string;
  /** Lower-case hex, 16 characters. */
  readonly spanId: string;
  /** Undefined for a root span (empty bytes on the wire). */
  readonly parentSpanId: string | undefined;
  readonly kind: number;
  readonly kindName: string;
  readonly startTimeUnixNano: bigint;
  readonly endTimeUnixNano: bigint;
  readonly attributes: Record<string, OtlpValue>;
  readonly events: readonly OtlpEvent[];
  readonly links: readonly OtlpLink[];
  readonly status: { readonly code: number; readonly codeName: string; readonly message: string | undefined };
  readonly resource: Record<string, OtlpValue>;
  readonly scope: { readonly name: string; readonly version: string | undefined };
}

/** The body could not be decoded as an OTLP trace export request (a collector answers 400). */
export class OtlpDecodeError extends Error {
  override readonly name = "OtlpDecodeError";
}

const REQUEST_TYPE = "opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest";

let requestType: protobuf.Type | undefined;

/** ExportTraceServiceRequest from the official .proto files, parsed once. */
export function exportTraceServiceRequestType(): protobuf.Type {
  if (!requestType) {
    const root = new protobuf.Root();
    // Each file is parsed into the same root; their `import`s are satisfied because every file is here.
    for (const source of Object.values(OTLP_TRACE_PROTOS)) protobuf.parse(source, root);
    root.resolveAll();
    requestType = root.lookupType(REQUEST_TYPE);
  }
  return requestType;
}

/** `application/x-protobuf` -> protobuf, `application/json` -> json, anything else -> undefined (a collector answers 415). */
export function otlpEncodingOf(contentType: string | undefined): OtlpEncoding | undefined {
  const mime = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (mime === "application/x-protobuf" || mime === "application/protobuf") return "protobuf";
  if (mime === "application/json") return "json";
  return undefined;
}

/** Plain-object form of a decoded request: longs as decimal strings, bytes as Uint8Array. */
export type DecodedTraceRequest = { resourceSpans?: unknown[] } & Record<string, unknown>;

/**
 * Decodes an OTLP/HTTP trace export body with the official definitions: binary protobuf, or the
 * OTLP JSON mapping (hex trace/span ids, integer enums, lowerCamelCase keys). Throws
 * OtlpDecodeError for anything a collector would reject.
 */
export function decodeTraceRequest(body: Uint8Array, encoding: OtlpEncoding): DecodedTraceRequest {
  const type = exportTraceServiceRequestType();
  let message: protobuf.Message;
  try {
    message = encoding === "protobuf" ? type.decode(body) : type.fromObject(jsonToProtoObject(body));
  } catch (error) {
    if (error instanceof OtlpDecodeError) throw error;
    throw new OtlpDecodeError(`not an ExportTraceServiceRequest (${encoding}): ${(error as Error).message}`);
  }
  const problem = type.verify(message);
  if (problem) throw new OtlpDecodeError(`invalid ExportTraceServiceRequest: ${problem}`);
  return type.toObject(message, {
    longs: String,
    enums: Number,
    arrays: true,
    defaults: false,
  }) as DecodedTraceRequest;
}

function jsonToProtoObject(body: Uint8Array): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch (error) {
    throw new OtlpDecodeError(`body is not JSON: ${(error as Error).message}`);
  }
  if (!isRecord(parsed)) throw new OtlpDecodeError("JSON body is not an object");
  // OTLP JSON carries ids as hex, while protobufjs' JSON form expects base64: convert them first.
  for (const resourceSpans of arrayAt(parsed, "resourceSpans")) {
    for (const scopeSpans of arrayAt(resourceSpans, "scopeSpans")) {
      for (const span of arrayAt(scopeSpans, "spans")) {
        hexField(span, "traceId");
        hexField(span, "spanId");
        hexField(span, "parentSpanId");
        for (const link of arrayAt(span, "links")) {
          hexField(link, "traceId");
          hexField(link, "spanId");
        }
      }
    }
  }
  return parsed;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function arrayAt(value: unknown, key: string): Record<string, unknown>[] {
  if (!isRecord(value) || value[key] === undefined) return [];
  const list = value[key];
  if (!Array.isArray(list)) throw new OtlpDecodeError(`"${key}" is not an array`);
  return list.map((item) => {
    if (!isRecord(item)) throw new OtlpDecodeError(`an element of "${key}" is not an object`);
    return item;
  });
}

function hexField(target: Record<string, unknown>, key: string): void {
  const value = target[key];
  if (value === undefined) return;
  if (typeof value !== "string" || !/^(?:[0-9a-fA-F]{2})*$/.test(value)) {
    throw new OtlpDecodeError(`"${key}" is not a hex string`);
  }
  target[key] = Uint8Array.from(value.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
}

const hex = (bytes: unknown): string =>
  bytes instanceof Uint8Array ? Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("") : "";

/** AnyValue -> plain value. */
export function anyValueToPlain(value: unknown): OtlpValue {
  if (!isRecord(value)) return null;
  if (typeof value.stringValue === "string") return value.stringValue;
  if (typeof value.boolValue === "boolean") return value.boolValue;
  if (value.intValue !== undefined) {
    const n = Number(value.intValue);
    return Number.isSafeInteger(n) ? n : String(value.intValue);
  }
  if (typeof value.doubleValue === "number") return value.doubleValue;
  if (value.bytesValue instanceof Uint8Array) return value.bytesValue;
  if (isRecord(value.arrayValue)) return (asArray(value.arrayValue.values) ?? []).map(anyValueToPlain);
  if (isRecord(value.kvlistValue)) return keyValuesToRecord(value.kvlistValue.values);
  return null;
}

/** repeated KeyValue -> `{ key: plain value }`. */
export function keyValuesToRecord(list: unknown): Record<string, OtlpValue> {
  const result: Record<string, OtlpValue> = {};
  for (const entry of asArray(list) ?? []) {
    if (isRecord(entry) && typeof entry.key === "string") result[entry.key] = anyValueToPlain(entry.value);
  }
  return result;
}

function asArray(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

const toBigInt = (value: unknown): bigint =>
  typeof value === "string" || typeof value === "number" ? BigInt(value) : 0n;

/** Every span of a decoded request, with its resource attributes and scope, in wire order. */
export function flattenSpans(request: DecodedTraceRequest): OtlpSpan[] {
  const spans: OtlpSpan[] = [];
  for (const resourceSpans of (asArray(request.resourceSpans) ?? []).filter(isRecord)) {
    const resource = keyValuesToRecord(
      isRecord(resourceSpans.resource) ? resourceSpans.resource.attributes : undefined,
    );
    for (const scopeSpans of (asArray(resourceSpans.scopeSpans) ?? []).filter(isRecord)) {
      const scopeRecord = isRecord(scopeSpans.scope) ? scopeSpans.scope : {};
      const scope = {
        name: typeof scopeRecord.name === "string" ? scopeRecord.name : "",
        version: typeof scopeRecord.version === "string" ? scopeRecord.version : undefined,
      };
      for (const span of (asArray(scopeSpans.spans) ?? []).filter(isRecord)) {
        const kind = typeof span.kind === "number" ? span.kind : 0;
        const status = isRecord(span.status) ? span.status : {};
        const statusCode = typeof status.code === "number" ? status.code : 0;
        const parent = hex(span.parentSpanId);
        spans.push({
          name: typeof span.name === "string" ? span.name : "",
          traceId: hex(span.traceId),
          spanId: hex(span.spanId),
          parentSpanId: parent === "" ? undefined : parent,
          kind,
          kindName: OTLP_SPAN_KINDS[kind] ?? String(kind),
          startTimeUnixNano: toBigInt(span.startTimeUnixNano),
          endTimeUnixNano: toBigInt(span.endTimeUnixNano),
          attributes: keyValuesToRecord(span.attributes),
          events: (asArray(span.events) ?? []).filter(isRecord).map((event) => ({
            name: typeof event.name === "string" ? event.name : "",
            timeUnixNano: toBigInt(event.timeUnixNano),
            attributes: keyValuesToRecord(event.attributes),
          })),
          links: (asArray(span.links) ?? []).filter(isRecord).map((link) => ({
            traceId: hex(link.traceId),
            spanId: hex(link.spanId),
            attributes: keyValuesToRecord(link.attributes),
          })),
          status: {
            code: statusCode,
            codeName: OTLP_STATUS_CODES[statusCode] ?? String(statusCode),
            message: typeof status.message === "string" && status.message !== "" ? status.message : undefined,
          },
          resource,
          scope,
        });
      }
    }
  }
  return spans;
}
