// ASCII character classes as bit flags, looked up by UTF-16 code unit (what a non-unicode regex
// compares). Non-ASCII code units belong to none of them.
export const WORD = 1; // \w: [A-Za-z0-9_]
export const LETTER = 2; // [A-Za-z]
export const SCHEME = 4; // [A-Za-z0-9+.-]
export const EMAIL_LOCAL = 8; // [A-Za-z0-9._%+-]

const CLASSES = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  const alnum = /[A-Za-z0-9]/.test(ch);
  CLASSES[c] =
    (alnum || ch === "_" ? WORD : 0) |
    (/[A-Za-z]/.test(ch) ? LETTER : 0) |
    (alnum || "+.-".includes(ch) ? SCHEME : 0) |
    (alnum || "._%+-".includes(ch) ? EMAIL_LOCAL : 0);
}

/** Whether the code unit at `i` is in class `bit` (false out of range: charCodeAt gives NaN). */
export const has = (value: string, i: number, bit: number): boolean => {
  const c = value.charCodeAt(i);
  return c < 128 && (CLASSES[c]! & bit) !== 0;
};
