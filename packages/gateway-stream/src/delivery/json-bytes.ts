/**
 * JSON written straight into UTF-8 bytes: for plain data (strings, finite numbers, booleans,
 * null, arrays, plain objects), the bytes of `TextEncoder.encode(JSON.stringify(value))`.
 *
 * Why not that one-liner: for each event it made a JSON string (built in parts, then flattened),
 * then a joined string of the batch, then the encoded copies and their concatenation, about
 * 1.7 KB of garbage per event on the app's thread (bench/alloc.mjs). Here the only allocation is
 * the output buffer, off the JavaScript heap, doubled when full.
 */
const encoder = /* @__PURE__ */ new TextEncoder();

export class JsonBytesWriter {
  private bytes: Uint8Array;
  private length = 0;

  constructor(initialCapacity = 4096) {
    this.bytes = new Uint8Array(Math.max(64, initialCapacity));
  }

  /** `text` as it is: JSON punctuation and other ASCII the caller knows is valid where it goes. */
  raw(text: string): void {
    this.reserve(text.length);
    for (let i = 0; i < text.length; i++) this.bytes[this.length++] = text.charCodeAt(i);
  }

  /** Writes `value` as JSON; false (and nothing written) where JSON.stringify would leave it out. */
  value(value: unknown): boolean {
    switch (typeof value) {
      case "string":
        this.string(value);
        return true;
      case "number":
        this.raw(Number.isFinite(value) ? String(value) : "null");
        return true;
      case "boolean":
        this.raw(value ? "true" : "false");
        return true;
      case "object":
        if (value === null) this.raw("null");
        else if (Array.isArray(value)) this.array(value);
        else if (isPlainData(value)) this.object(value as Record<string, unknown>);
        else return this.viaStringify(value);
        return true;
      default:
        // undefined, functions, symbols are left out, as JSON.stringify does; a bigint throws, as it does.
        return this.viaStringify(value);
    }
  }

  /** The bytes written so far (a view of the buffer, not a copy). */
  result(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  private string(value: string): void {
    this.reserve(value.length + 2);
    const start = this.length;
    const bytes = this.bytes;
    let at = start;
    bytes[at++] = 0x22;
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      // Printable ASCII other than `"` and `\` is written as it is; anything else takes the
      // exact escaping and UTF-8 of JSON.stringify + TextEncoder, for the whole string.
      if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) {
        this.length = start;
        this.encoded(JSON.stringify(value));
        return;
      }
      bytes[at++] = code;
    }
    bytes[at++] = 0x22;
    this.length = at;
  }

  private array(items: readonly unknown[]): void {
    this.raw("[");
    for (let i = 0; i < items.length; i++) {
      if (i > 0) this.raw(",");
      if (!this.value(items[i])) this.raw("null");
    }
    this.raw("]");
  }

  private object(record: Record<string, unknown>): void {
    this.raw("{");
    let first = true;
    for (const key in record) {
      if (!Object.hasOwn(record, key)) continue;
      const item = record[key];
      if (item === undefined || typeof item === "function" || typeof item === "symbol") continue;
      if (!first) this.raw(",");
      first = false;
      this.string(key);
      this.raw(":");
      this.value(item);
    }
    this.raw("}");
  }

  /** Anything else (a Date, an object with toJSON, ...): JSON.stringify's own answer, encoded. */
  private viaStringify(value: unknown): boolean {
    const json = JSON.stringify(value);
    if (json === undefined) return false;
    this.encoded(json);
    return true;
  }

  private encoded(text: string): void {
    this.reserve(text.length * 3);
    this.length += encoder.encodeInto(text, this.bytes.subarray(this.length)).written;
  }

  private reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    let capacity = this.bytes.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
}

/** An object JSON.stringify would write field by field: a plain prototype and no toJSON. */
function isPlainData(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return (
    (proto === Object.prototype || proto === null) &&
    typeof (value as { toJSON?: unknown }).toJSON !== "function"
  );
}
