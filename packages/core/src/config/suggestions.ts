/**
 * "Did you mean" for a mistyped key or mode: the closest valid name within a small edit
 * distance, else the one name that has it as whole words (`posthog` -> `custom_posthog`), else none.
 * Case differences count as close (`Api_Key` -> `api_key`).
 */
export function closestMatch(input: string, candidates: readonly string[]): string | undefined {
  const needle = input.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(needle, name.toLowerCase());
    if (best === undefined || distance < best.distance) best = { name, distance };
  }
  if (!best) return undefined;
  // Short names tolerate one edit, longer ones a few: "mode" must not suggest "user_id".
  const limit = Math.max(1, Math.min(3, Math.floor(needle.length / 3)));
  if (best.distance <= limit) return best.name;
  // Whole words of one longer name: "posthog" for "custom_posthog", "force_debug" for
  // "force_debug_enabled". Ambiguous ("custom") suggests nothing.
  const words = candidates.filter((name) => `_${name.toLowerCase()}_`.includes(`_${needle}_`));
  return words.length === 1 ? words[0] : undefined;
}

/**
 * `unknown key; did you mean "enabled"?`, expected `one of enabled, endpoint, ...`. The name
 * itself is left to the error's key path, which already ends with it.
 */
export function describeUnknownName(
  what: string,
  input: string,
  valid: readonly string[],
): { message: string; expected: string | undefined } {
  const suggestion = closestMatch(input, valid);
  const didYouMean = suggestion !== undefined ? `; did you mean "${suggestion}"?` : "";
  return {
    message: `unknown ${what}${didYouMean}`,
    expected: valid.length > 0 ? `one of ${valid.join(", ")}` : undefined,
  };
}

/** Levenshtein distance with adjacent transpositions counted as one edit ("enabeld"). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = value;
    }
  }
  return d[a.length]![b.length]!;
}
