/**
 * A built-in masking family. `mayMatch` is a cheap necessary condition: false means the family
 * cannot match anywhere in the string, so clean text stops there. `replaceAll` gives exactly what
 * `value.replace(new RegExp(FAMILY_PATTERNS[name], "g"), callback)` gives, in linear time.
 */
export interface MaskFamily {
  readonly mayMatch: (value: string) => boolean;
  readonly replaceAll: (value: string, replacement: string) => string;
}

/** A match as [start, end), or undefined when there is none. */
export type Match = readonly [start: number, end: number] | undefined;

/**
 * Replays a global replace from its matches: `next(value, from)` returns the leftmost match
 * starting at or after `from` (as the regex would find it), `replace` gives its replacement.
 */
export function replaceMatches(
  value: string,
  next: (value: string, from: number) => Match,
  replace: (start: number, end: number) => string,
): string {
  let out = "";
  let copied = 0;
  for (let match = next(value, 0); match; match = next(value, match[1])) {
    out += value.slice(copied, match[0]) + replace(match[0], match[1]);
    copied = match[1];
  }
  return copied === 0 ? value : out + value.slice(copied);
}
