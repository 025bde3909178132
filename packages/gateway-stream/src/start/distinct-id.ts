/**
 * The gateway's anonymous id for a key: the first 16 hex characters of SHA-256 of the key's
 * UTF-8 bytes (same as the Python implementation). Web Crypto, so it runs on edge runtimes too.
 */
export async function distinctIdFor(apiKey: string): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error("Web Crypto (crypto.subtle) is not available in this runtime");
  const digest = await subtle.digest("SHA-256", new TextEncoder().encode(apiKey));
  let hex = "";
  for (const byte of new Uint8Array(digest).subarray(0, 8)) hex += byte.toString(16).padStart(2, "0");
  return hex;
}
