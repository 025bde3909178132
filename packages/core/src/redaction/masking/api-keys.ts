import type { MaskFamily } from "./family.js";
import { FAMILY_PATTERNS } from "./patterns.js";

// The pattern runs in linear time (every tail is one greedy run or a fixed length), and V8 scans
// for it natively faster than a scan driven from JavaScript, so it is used as is.
const API_KEY = new RegExp(FAMILY_PATTERNS.apiKeys, "g");

/** Every key contains one of the prefixes; each is looked for at its rarest character. */
function mayHoldApiKey(value: string): boolean {
  // sk- pk- rk- xox?-
  for (let i = value.indexOf("-", 1); i !== -1; i = value.indexOf("-", i + 1)) {
    if (value.charCodeAt(i - 1) === 107 /* k */ || (i >= 4 && value.startsWith("xox", i - 4))) return true;
  }
  // phc_ gh?_
  for (let i = value.indexOf("_", 3); i !== -1; i = value.indexOf("_", i + 1)) {
    if (value.startsWith("phc", i - 3) || value.startsWith("gh", i - 3)) return true;
  }
  return value.indexOf("AKIA") !== -1 || value.indexOf("AIza") !== -1;
}

export const apiKeys: MaskFamily = {
  mayMatch: mayHoldApiKey,
  replaceAll: (value, replacement) => value.replace(API_KEY, () => replacement),
};
