interface CompressionStreamLike {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
}
type CompressionStreamCtor = new (format: "gzip") => CompressionStreamLike;

/**
 * Gzips with the web-standard CompressionStream (Node >= 18, Deno, Bun, workers): no Node
 * built-in is imported, so this module loads on any runtime.
 */
export async function gzip(data: Uint8Array): Promise<Uint8Array> {
  const Ctor = (globalThis as { CompressionStream?: CompressionStreamCtor }).CompressionStream;
  if (!Ctor) throw new Error("gzip compression needs CompressionStream, which this runtime does not have");
  const stream = new Blob([data]).stream().pipeThrough(new Ctor("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
