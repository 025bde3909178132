import { REDACTED } from "../span/attributes.js";
import { mapDraftStrings } from "./map-strings.js";
import { composeRedactors, defineDraftRedactor, defineRedactor, type Redactor } from "./redactor.js";

/** Shorter values would scrub ordinary words; the masking logger uses the same floor. */
export const MIN_SECRET_LENGTH = 4;

/** `Bearer x`, `Basic x`, `Token x`, ...: an auth header value and the credential inside it. */
const AUTH_SCHEME = /^\s*(?:Bearer|Basic|Token|Bot|ApiKey|Api-Key|Digest)\s+(\S+)\s*$/i;

/**
 * Every secret the destinations of one telemetry instance declared (API keys, secret keys,
 * header values), including those a plugin registers on its logger later (a key read from the
 * environment, a project key from remote config). Each is kept with the forms it takes inside
 * JSON and URLs, longest first so a secret containing another is removed whole.
 */
export class KnownSecrets {
  private forms: string[] = [];
  private readonly seen = new Set<string>();

  get size(): number {
    return this.forms.length;
  }

  add(...values: readonly (string | undefined)[]): void {
    let added = false;
    for (const value of values) {
      if (typeof value !== "string" || value.length < MIN_SECRET_LENGTH || this.seen.has(value)) continue;
      this.seen.add(value);
      // A header value such as `Bearer <token>` is declared whole; the token alone is the secret too.
      const credential = AUTH_SCHEME.exec(value)?.[1];
      for (const raw of credential === undefined ? [value] : [value, credential]) {
        for (const form of new Set([raw, JSON.stringify(raw).slice(1, -1), safeEncode(raw)])) {
          if (form.length >= MIN_SECRET_LENGTH && !this.forms.includes(form)) this.forms.push(form);
        }
      }
      added = true;
    }
    if (added) this.forms = [...this.forms].sort((a, b) => b.length - a.length);
  }

  /** `value` with every known secret replaced by `[REDACTED]`; the same string when none occurs. */
  scrub(value: string): string {
    let result = value;
    for (const form of this.forms) {
      if (result.includes(form)) result = result.split(form).join(REDACTED);
    }
    return result;
  }
}

function safeEncode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value; // lone surrogates: the raw form is already listed
  }
}

/**
 * Removes every known secret from every string a span carries (names, attributes, events,
 * links, status text, resource). Core puts it first in every destination's policy, full-data
 * ones included: a provider error that echoes an `Authorization` header must not carry the key
 * anywhere. Reads the list at run time, so secrets registered after start are covered too.
 */
export function scrubKnownSecrets(secrets: KnownSecrets): Redactor {
  const scrub = (value: string) => secrets.scrub(value);
  return defineDraftRedactor("scrubKnownSecrets", (draft) => {
    if (secrets.size > 0) mapDraftStrings(draft, scrub);
    return true;
  });
}

/**
 * `scrubKnownSecrets` for an instance that had no secret at start: a plain function (so it takes
 * no draft) that returns the span as it is until a plugin registers its first secret.
 */
export function scrubLateSecrets(secrets: KnownSecrets): Redactor {
  const scrub = composeRedactors(scrubKnownSecrets(secrets));
  return defineRedactor("scrubKnownSecrets", (span) => (secrets.size === 0 ? span : scrub(span)));
}
