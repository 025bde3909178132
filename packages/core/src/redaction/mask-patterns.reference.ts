// TEST-ONLY REFERENCE: the masker as it was before it became linear-time (issue 14), kept
// verbatim so mask-patterns.equivalence.test.ts can check the new one gives the same output on
// random inputs. Never imported by library code: its email and URL passes backtrack
// quadratically on long runs of local-part or scheme characters.

interface MaskPatternsOptions {
  /** Default true for each built-in family. */
  emails?: boolean;
  apiKeys?: boolean;
  bearerTokens?: boolean;
  urlCredentials?: boolean;
  cardNumbers?: boolean;
  /** Extra patterns; every match is replaced by `replacement`. */
  patterns?: readonly RegExp[];
  /** Default `[MASKED]`. */
  replacement?: string;
}

interface Rule {
  readonly source: string;
  /**
   * A fragment every match of `source` contains. A string with no trigger cannot match, so it
   * skips the full pattern: most strings (and most prompts) contain no secret, and this cheap
   * test is what they pay.
   */
  readonly trigger: string;
  /** A `String.prototype.replace` callback: the match, then its capture groups. */
  readonly replace: (match: string, ...groups: string[]) => string;
}

// Families, one pass each (see the order in createStringMasker).
const EMAIL = String.raw`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`;
const API_KEY = [
  String.raw`\b(?:sk|pk|rk)-[A-Za-z0-9_-]{16,}`, // OpenAI, Anthropic (sk-ant-...), Langfuse (sk-lf-/pk-lf-)
  String.raw`\bphc_[A-Za-z0-9]{16,}`, // PostHog project keys
  String.raw`\bgh[pousr]_[A-Za-z0-9]{20,}`, // GitHub tokens
  String.raw`\bAKIA[0-9A-Z]{16}\b`, // AWS access key ids
  String.raw`\bxox[abposr]-[A-Za-z0-9-]{10,}`, // Slack tokens
  String.raw`\bAIza[0-9A-Za-z_-]{35}`, // Google API keys
].join("|");
const BEARER = String.raw`\b(?:[Bb]earer|BEARER)\s+[A-Za-z0-9._~+/=-]+`;
const URL_CREDENTIALS = String.raw`\b([A-Za-z][A-Za-z0-9+.-]*://)[^\s/?#@:]*:[^\s/?#@]*@`;
const CARD = String.raw`\b\d(?:[ -]?\d){12,18}\b`;

// What each family's matches always contain (see Rule.trigger).
const URL_CREDENTIALS_TRIGGER = "@";
const BEARER_TRIGGER = "earer|EARER";
const API_KEY_TRIGGER = "[spr]k-|phc_|gh[pousr]_|AKIA|xox[abposr]-|AIza";
const EMAIL_TRIGGER = "@";
const CARD_TRIGGER = String.raw`\d(?:[ -]?\d){12}`;

function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

const CACHE_LIMIT = 2048;
/** No pattern matches fewer characters (the shortest is an email such as `a@b.co`). */
const SHORTEST_MATCH = 6;
const CACHEABLE_LENGTH = 256;

export function createReferenceStringMasker(options: MaskPatternsOptions = {}): (value: string) => string {
  const replacement = options.replacement ?? "[MASKED]";
  const rules: Rule[] = [];
  // One pass per family, in this order, so that no family can hide another's match. Cards run
  // before emails: in "4111 1111 1111 1111@x.co" an email pass first would take "1111@x.co" and
  // leave 12 card digits; the other way round the card goes, then nothing email-shaped is left.
  // And a card-shaped run that fails Luhn ("1234 5678 9012 3456@x.co") is left as it is without
  // swallowing the start of the email after it, as a single combined pass did.
  if (options.urlCredentials !== false)
    rules.push({
      source: URL_CREDENTIALS,
      trigger: URL_CREDENTIALS_TRIGGER,
      replace: (_match, scheme) => `${scheme ?? ""}${replacement}@`,
    });
  if (options.bearerTokens !== false)
    rules.push({
      source: BEARER,
      trigger: BEARER_TRIGGER,
      replace: (match) => `${match.split(/\s+/, 1)[0]} ${replacement}`,
    });
  if (options.apiKeys !== false)
    rules.push({ source: API_KEY, trigger: API_KEY_TRIGGER, replace: () => replacement });
  if (options.cardNumbers !== false)
    rules.push({
      source: CARD,
      trigger: CARD_TRIGGER,
      replace: (match) => (luhnValid(match.replace(/[ -]/g, "")) ? replacement : match),
    });
  if (options.emails !== false)
    rules.push({ source: EMAIL, trigger: EMAIL_TRIGGER, replace: () => replacement });
  // User patterns keep their own flags, so they run as separate passes after the built-ins.
  const userPatterns = (options.patterns ?? []).map(
    (p) => new RegExp(p.source, p.flags.includes("g") ? p.flags : `${p.flags}g`),
  );
  if (rules.length === 0 && userPatterns.length === 0) return (value) => value;

  const passes = rules.map((rule) => ({
    pattern: new RegExp(rule.source, "g"),
    trigger: new RegExp(rule.trigger),
    replace: rule.replace,
  }));
  const anyTrigger = rules.length ? new RegExp(rules.map((r) => r.trigger).join("|")) : /$^/;
  const replaceBuiltIns = (value: string): string => {
    let result = value;
    for (const pass of passes) {
      if (pass.trigger.test(result)) result = result.replace(pass.pattern, pass.replace);
    }
    return result;
  };
  const maskAll = (value: string): string => {
    let result = replaceBuiltIns(value);
    for (const pattern of userPatterns) result = result.replace(pattern, replacement);
    return result;
  };

  // Results are cached: the same string (a user's email on every span) tends to come back. Long
  // strings (prompts) rarely repeat exactly and are not kept.
  const cache = new Map<string, string>();
  const remember = (value: string, compute: (value: string) => string): string => {
    if (value.length > CACHEABLE_LENGTH) return compute(value);
    const hit = cache.get(value);
    if (hit !== undefined) return hit;
    const masked = compute(value);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(value, masked);
    return masked;
  };

  // User patterns can match anything, so every string goes through them (and the cache).
  if (userPatterns.length > 0) return (value) => remember(value, maskAll);
  // Built-ins only: a clean string (nearly all of them) costs one trigger test, no lookup, and
  // only strings that may hold a secret reach the cache and the full passes.
  return (value) =>
    value.length < SHORTEST_MATCH || !anyTrigger.test(value) ? value : remember(value, replaceBuiltIns);
}
