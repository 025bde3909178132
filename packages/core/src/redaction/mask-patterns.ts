import type { Resource } from "@opentelemetry/resources";
import { mapDraftStrings } from "./map-strings.js";
import { defineDraftRedactor, type Redactor } from "./redactor.js";

export interface MaskPatternsOptions {
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
  readonly replace: (match: string, groups: (string | undefined)[]) => string;
}

// Families. Each is one capture group in the combined regex so one pass finds them all.
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
const API_KEY_TRIGGER = String.raw`[spr]k-|phc_|gh[pousr]_|AKIA|xox[abposr]-|AIza`;
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

/** Builds the string function; exported for the masking logger and the CLI. */
export function createStringMasker(options: MaskPatternsOptions = {}): (value: string) => string {
  const replacement = options.replacement ?? "[MASKED]";
  const rules: Rule[] = [];
  if (options.urlCredentials !== false)
    rules.push({
      source: URL_CREDENTIALS,
      trigger: URL_CREDENTIALS_TRIGGER,
      replace: (_m, g) => `${g[0] ?? ""}${replacement}@`,
    });
  if (options.bearerTokens !== false)
    rules.push({
      source: BEARER,
      trigger: BEARER_TRIGGER,
      replace: (m) => `${m.split(/\s+/, 1)[0]} ${replacement}`,
    });
  if (options.apiKeys !== false)
    rules.push({ source: API_KEY, trigger: API_KEY_TRIGGER, replace: () => replacement });
  if (options.emails !== false)
    rules.push({ source: EMAIL, trigger: EMAIL_TRIGGER, replace: () => replacement });
  if (options.cardNumbers !== false)
    rules.push({
      source: CARD,
      trigger: CARD_TRIGGER,
      replace: (m) => (luhnValid(m.replace(/[ -]/g, "")) ? replacement : m),
    });
  // User patterns keep their own flags, so they run as separate passes after the built-ins.
  const userPatterns = (options.patterns ?? []).map(
    (p) => new RegExp(p.source, p.flags.includes("g") ? p.flags : `${p.flags}g`),
  );
  if (rules.length === 0 && userPatterns.length === 0) return (value) => value;

  // One alternation, one outer group per rule; inner groups are counted to find each rule's slice.
  const groupCounts = rules.map((r) => new RegExp(`${r.source}|`).exec("")!.length - 1);
  const combined = rules.length ? new RegExp(rules.map((r) => `(${r.source})`).join("|"), "g") : /$^/g;
  const triggers = rules.length ? new RegExp(rules.map((r) => r.trigger).join("|")) : /$^/;
  const replaceBuiltIns = (value: string): string =>
    value.replace(combined, (match: string, ...rest: unknown[]) => {
      let index = 0;
      for (let r = 0; r < rules.length; r++) {
        const count = groupCounts[r]!;
        if (rest[index] !== undefined) {
          return rules[r]!.replace(match, rest.slice(index + 1, index + 1 + count) as (string | undefined)[]);
        }
        index += count + 1;
      }
      return match;
    });
  const maskAll = (value: string): string => {
    let result = triggers.test(value) ? replaceBuiltIns(value) : value;
    for (const pattern of userPatterns) result = result.replace(pattern, replacement);
    return result;
  };

  // Strings that need the full passes are cached: the same one (a user's email on every span)
  // tends to come back. Long strings (prompts) rarely repeat exactly and are not kept.
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

  if (userPatterns.length > 0) return (value) => remember(value, maskAll);
  // Built-ins only: a clean string (nearly all of them) costs one trigger test and no lookup.
  return (value) =>
    value.length < SHORTEST_MATCH || !triggers.test(value) ? value : remember(value, replaceBuiltIns);
}

/**
 * Masks emails, API-key shapes, bearer tokens, credentials in URLs, Luhn-valid card numbers and
 * user patterns in every string the span carries: name, attributes, events, links, status
 * text, resource.
 */
export function maskPatterns(options: MaskPatternsOptions = {}): Redactor {
  const mask = createStringMasker(options);
  const resourceCache = new WeakMap<Resource, Resource>();
  return defineDraftRedactor("maskPatterns", (draft) => {
    mapDraftStrings(draft, mask, resourceCache);
    return true;
  });
}
