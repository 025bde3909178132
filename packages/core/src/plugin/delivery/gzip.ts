interface CompressionStreamLike {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
}
type CompressionStreamCtor = new (format: "gzip") => CompressionStreamLike;

/** True where the web-standard CompressionStream exists (Node >= 18, Deno, Bun, workers). */
export function canGzip(): boolean {
  return typeof (globalThis as { CompressionStream?: unknown }).CompressionStream === "function";
}

/**
 * Gzips with the web-standard CompressionStream: no Node built-in is imported, so this module
 * loads on any runtime. Throws where the runtime has none (check `canGzip()` first).
 */
export async function gzip(data: Uint8Array | string): Promise<Uint8Array> {
  const Ctor = (globalThis as { CompressionStream?: CompressionStreamCtor }).CompressionStream;
  if (!Ctor) throw new Error("gzip compression needs CompressionStream, which this runtime does not have");
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new Ctor("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
