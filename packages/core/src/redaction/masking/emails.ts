import { EMAIL_LOCAL, has } from "./char-classes.js";
import { type MaskFamily, type Match, replaceMatches } from "./family.js";

// The pattern retries from every character of a long local-part run in V8 (quadratic), so it is
// found from its `@` instead. The local part cannot give characters back (`@` ends its run), so
// a match is: an `@`, the run of local-part characters before it (from its start, or from where
// the search resumed), and a domain after it, which the pattern's own tail decides (sticky, and
// linear: labels and dots alternate, so there is one way to split them).
const DOMAIN = /[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/y;

function nextEmail(value: string, from: number): Match {
  for (let at = value.indexOf("@", from); at !== -1; at = value.indexOf("@", at + 1)) {
    let start = at;
    while (start > from && has(value, start - 1, EMAIL_LOCAL)) start--;
    if (start === at) continue;
    DOMAIN.lastIndex = at + 1;
    if (DOMAIN.test(value)) return [start, DOMAIN.lastIndex];
  }
  return undefined;
}

export const emails: MaskFamily = {
  mayMatch: (value) => value.indexOf("@") !== -1,
  replaceAll: (value, replacement) => replaceMatches(value, nextEmail, () => replacement),
};
