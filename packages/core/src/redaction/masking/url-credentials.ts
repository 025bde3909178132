import { has, LETTER, SCHEME, WORD } from "./char-classes.js";
import { type MaskFamily, type Match, replaceMatches } from "./family.js";

// scheme://user:password@. The pattern backtracks quadratically in V8 on a long run of scheme
// characters, so it is found from its `://` instead. None of its parts can give characters back
// (each run stops at the very character the next part needs), so a match is: a `://`; the run
// of scheme characters just before it, from its leftmost letter at a word boundary; then the
// user and password parts and an `@`, which this sticky tail decides (in linear time).
const USERINFO = /[^\s/?#@:]*:[^\s/?#@]*@/y;

function nextUrlCredentials(value: string, from: number): Match {
  for (let sep = value.indexOf("://", from); sep !== -1; sep = value.indexOf("://", sep + 1)) {
    let start = -1;
    for (let p = sep - 1; p >= from && has(value, p, SCHEME); p--) {
      if (has(value, p, LETTER) && !has(value, p - 1, WORD)) start = p;
    }
    if (start === -1) continue;
    USERINFO.lastIndex = sep + 3;
    if (USERINFO.test(value)) return [start, USERINFO.lastIndex];
  }
  return undefined;
}

export const urlCredentials: MaskFamily = {
  mayMatch: (value) => value.indexOf("@") !== -1 && value.indexOf("://") !== -1,
  replaceAll: (value, replacement) =>
    replaceMatches(value, nextUrlCredentials, (start) => {
      // The scheme is kept: the first `://` of the match ends it (scheme characters exclude `:`).
      const schemeEnd = value.indexOf("://", start) + 3;
      return `${value.slice(start, schemeEnd)}${replacement}@`;
    }),
};
