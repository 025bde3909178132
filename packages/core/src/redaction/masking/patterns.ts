/**
 * Each family's pattern, as the masker has always defined it: the definition every scanner in
 * this folder reproduces exactly (mask-patterns.equivalence.test.ts compares them).
 */
export const FAMILY_PATTERNS = {
  urlCredentials: String.raw`\b([A-Za-z][A-Za-z0-9+.-]*://)[^\s/?#@:]*:[^\s/?#@]*@`,
  bearerTokens: String.raw`\b(?:[Bb]earer|BEARER)\s+[A-Za-z0-9._~+/=-]+`,
  apiKeys: [
    String.raw`\b(?:sk|pk|rk)-[A-Za-z0-9_-]{16,}`, // OpenAI, Anthropic (sk-ant-...), Langfuse (sk-lf-/pk-lf-)
    String.raw`\bphc_[A-Za-z0-9]{16,}`, // PostHog project keys
    String.raw`\bgh[pousr]_[A-Za-z0-9]{20,}`, // GitHub tokens
    String.raw`\bAKIA[0-9A-Z]{16}\b`, // AWS access key ids
    String.raw`\bxox[abposr]-[A-Za-z0-9-]{10,}`, // Slack tokens
    String.raw`\bAIza[0-9A-Za-z_-]{35}`, // Google API keys
  ].join("|"),
  cardNumbers: String.raw`\b\d(?:[ -]?\d){12,18}\b`,
  emails: String.raw`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`,
} as const;
