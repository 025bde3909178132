/**
 * Random (version 4) UUIDs for the events' `uuid`, from Web Crypto random bytes taken a pool at
 * a time (as `crypto.randomUUID` does), each written as one flat string. Node's
 * `crypto.randomUUID()` builds its string from twenty pieces: about 590 bytes of garbage per
 * event on the app's thread, where this makes the 36-character string alone (~57 bytes).
 */
const POOL_UUIDS = 256;
const pool = /* @__PURE__ */ new Uint8Array(16 * POOL_UUIDS);
let next = POOL_UUIDS;
/** The character codes of the UUID being built, reused. */
const codes: number[] = /* @__PURE__ */ new Array<number>(36).fill(0);
const HEX = /* @__PURE__ */ Array.from("0123456789abcdef", (c) => c.charCodeAt(0));
const DASH = 0x2d;

export function randomUuid(): string {
  if (next === POOL_UUIDS) {
    globalThis.crypto.getRandomValues(pool);
    next = 0;
  }
  const at = next++ * 16;
  let c = 0;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) codes[c++] = DASH;
    let byte = pool[at + i]!;
    if (i === 6)
      byte = (byte & 0x0f) | 0x40; // version 4
    else if (i === 8) byte = (byte & 0x3f) | 0x80; // RFC 4122 variant
    codes[c++] = HEX[byte >> 4]!;
    codes[c++] = HEX[byte & 0x0f]!;
  }
  return String.fromCharCode.apply(null, codes);
}
