import type { Resource } from "@opentelemetry/resources";
import { mapDraftStrings } from "./map-strings.js";
import { FAMILIES, type MaskFamily } from "./masking/families.js";
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

const CACHE_LIMIT = 2048;
/** No pattern matches fewer characters (the shortest is an email such as `a@b.co`). */
const SHORTEST_MATCH = 6;
const CACHEABLE_LENGTH = 256;

/** Builds the string function; exported for the masking logger and the CLI. */
export function createStringMasker(options: MaskPatternsOptions = {}): (value: string) => string {
  const replacement = options.replacement ?? "[MASKED]";
  // One pass per family, in this order, so that no family can hide another's match. Cards run
  // before emails: in "4111 1111 1111 1111@x.co" an email pass first would take "1111@x.co" and
  // leave 12 card digits; the other way round the card goes, then nothing email-shaped is left.
  // And a card-shaped run that fails Luhn ("1234 5678 9012 3456@x.co") is left as it is without
  // swallowing the start of the email after it, as a single combined pass did.
  const families: MaskFamily[] = [];
  if (options.urlCredentials !== false) families.push(FAMILIES.urlCredentials);
  if (options.bearerTokens !== false) families.push(FAMILIES.bearerTokens);
  if (options.apiKeys !== false) families.push(FAMILIES.apiKeys);
  if (options.cardNumbers !== false) families.push(FAMILIES.cardNumbers);
  if (options.emails !== false) families.push(FAMILIES.emails);
  // User patterns keep their own flags, so they run as separate passes after the built-ins.
  const userPatterns = (options.patterns ?? []).map(
    (p) => new RegExp(p.source, p.flags.includes("g") ? p.flags : `${p.flags}g`),
  );
  if (families.length === 0 && userPatterns.length === 0) return (value) => value;

  const replaceBuiltIns = (value: string): string => {
    let result = value;
    for (const family of families) {
      if (family.mayMatch(result)) result = family.replaceAll(result, replacement);
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
  // Built-ins only. A short string (names, ids, models: most strings of a span, repeated on
  // every span) is looked up first, clean or not: one lookup costs less than the families'
  // tests. A long one (a prompt) rarely repeats: it costs the tests (a few fixed-substring
  // searches, skipping ahead), and only a family whose test passes runs its full pass
  // (`replaceBuiltIns` tests each family once; a clean string comes back as it is).
  return (value) => {
    if (value.length < SHORTEST_MATCH) return value;
    if (value.length <= CACHEABLE_LENGTH) return remember(value, replaceBuiltIns);
    return replaceBuiltIns(value);
  };
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
