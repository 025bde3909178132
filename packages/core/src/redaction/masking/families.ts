import { apiKeys } from "./api-keys.js";
import { bearerTokens } from "./bearer-tokens.js";
import { cardNumbers } from "./card-numbers.js";
import { emails } from "./emails.js";
import type { MaskFamily } from "./family.js";
import { urlCredentials } from "./url-credentials.js";

export type { MaskFamily } from "./family.js";

/** The built-in families, by their option name in MaskPatternsOptions. */
export const FAMILIES = {
  urlCredentials,
  bearerTokens,
  apiKeys,
  cardNumbers,
  emails,
} as const satisfies Record<string, MaskFamily>;
