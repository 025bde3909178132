import type { MaskFamily } from "./family.js";
import { FAMILY_PATTERNS } from "./patterns.js";

// The pattern itself runs in linear time (each part stops where the next must start), so it is
// used as is.
const BEARER = new RegExp(FAMILY_PATTERNS.bearerTokens, "g");

export const bearerTokens: MaskFamily = {
  // One search per spelling: each starts with a letter rarer than "e", which the search skips to.
  mayMatch: (value) =>
    value.indexOf("Bearer") !== -1 || value.indexOf("bearer") !== -1 || value.indexOf("BEARER") !== -1,
  replaceAll: (value, replacement) =>
    value.replace(BEARER, (match) => `${match.split(/\s+/, 1)[0]} ${replacement}`),
};
