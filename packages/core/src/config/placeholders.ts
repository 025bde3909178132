import { closestMatch } from "./suggestions.js";

/**
 * The placeholder grammar of telemetry.toml strings, shared with the Python implementation:
 *
 *   ${NAME}                  environment variable, else the secrets provider (when one is given)
 *   ${env:NAME}              environment variable only
 *   ${secret:NAME}           secrets provider only
 *   ${env:A|secret:B|C}      each source in turn; the first that has a value wins
 *
 * Anything else that looks like a placeholder is a mistake (`$NAME`, `${ NAME }`,
 * `${NAME:-default}`, `${ENV:NAME}`), reported with the text as written up to the name, never
 * further (a shell default may be a literal secret).
 */

export type PlaceholderSource =
  | { readonly kind: "any"; readonly name: string }
  | { readonly kind: "env"; readonly name: string }
  | { readonly kind: "secret"; readonly name: string };

/** One `${...}` or `$NAME` found in a string. */
export type PlaceholderToken =
  | {
      readonly valid: true;
      readonly start: number;
      readonly end: number;
      readonly text: string;
      readonly sources: readonly PlaceholderSource[];
    }
  | {
      readonly valid: false;
      readonly start: number;
      readonly end: number;
      /** The placeholder as written, cut before anything that could be a literal value. */
      readonly shown: string;
      readonly problem: string;
    };

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Secret ids may be paths in a vault (`team/posthog-key`). */
const SECRET_NAME = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;
/** `$NAME` with an upper-case name, the shape of an environment variable someone meant to use. */
const BARE_VARIABLE = /\$([A-Z_][A-Z0-9_]*)/y;
const PREFIXES = ["env", "secret"] as const;
const SHELL_OPERATORS = [":-", ":=", ":?", ":+"] as const;

/** Every placeholder in `text`, valid or not, in order. */
export function scanPlaceholders(text: string): PlaceholderToken[] {
  const tokens: PlaceholderToken[] = [];
  let i = text.indexOf("$");
  while (i !== -1) {
    const token = text[i + 1] === "{" ? braced(text, i) : bare(text, i);
    if (token) tokens.push(token);
    i = text.indexOf("$", token ? token.end : i + 1);
  }
  return tokens;
}

function bare(text: string, start: number): PlaceholderToken | undefined {
  BARE_VARIABLE.lastIndex = start;
  const match = BARE_VARIABLE.exec(text);
  if (!match) return undefined;
  const name = match[1]!;
  return {
    valid: false,
    start,
    end: start + match[0].length,
    shown: `$${name}`,
    problem: `"$${name}" is not substituted: write "\${${name}}"`,
  };
}

function braced(text: string, start: number): PlaceholderToken {
  const close = text.indexOf("}", start + 2);
  const lineEnd = text.indexOf("\n", start + 2);
  if (close === -1 || (lineEnd !== -1 && lineEnd < close)) {
    const shown = `\${${leadingName(text.slice(start + 2))}`;
    return {
      valid: false,
      start,
      end: start + 2,
      shown,
      problem: `"${shown}…" has no closing "}"`,
    };
  }
  const spec = text.slice(start + 2, close);
  const end = close + 1;
  const invalid = (shown: string, problem: string): PlaceholderToken => ({
    valid: false,
    start,
    end,
    shown,
    problem,
  });
  const operator = SHELL_OPERATORS.find((op) => spec.includes(op));
  if (operator !== undefined) {
    const name = spec.slice(0, spec.indexOf(operator)).trim();
    const shown = `\${${name}${operator}…}`;
    return invalid(
      shown,
      `"${shown}" uses a shell default, which is not supported: write "\${${name}}" and set the variable, or list fallbacks as "\${env:${name}|secret:${name}}"`,
    );
  }
  if (spec.trim() === "") return invalid(`\${}`, `"\${}" names no variable`);
  if (/\s/.test(spec)) {
    const tight = spec.replace(/\s+/g, "");
    return invalid(`\${${spec}}`, `"\${${spec}}" has spaces inside the braces: write "\${${tight}}"`);
  }
  const sources: PlaceholderSource[] = [];
  for (const part of spec.split("|")) {
    const colon = part.indexOf(":");
    if (colon === -1) {
      if (!ENV_NAME.test(part)) return invalid(`\${${spec}}`, `"\${${spec}}" is not a valid variable name`);
      sources.push({ kind: "any", name: part });
      continue;
    }
    const prefix = part.slice(0, colon);
    const name = part.slice(colon + 1);
    if (prefix !== "env" && prefix !== "secret") {
      const suggestion = closestMatch(prefix, PREFIXES);
      const didYouMean = suggestion !== undefined ? ` (did you mean "${suggestion}:"?)` : "";
      return invalid(
        `\${${spec}}`,
        `"\${${spec}}" has an unknown prefix "${prefix}:"${didYouMean}; the prefixes are env: and secret:`,
      );
    }
    if (!(prefix === "env" ? ENV_NAME : SECRET_NAME).test(name)) {
      return invalid(`\${${spec}}`, `"\${${spec}}" has no valid name after "${prefix}:"`);
    }
    sources.push({ kind: prefix, name });
  }
  return { valid: true, start, end, text: text.slice(start, end), sources };
}

function leadingName(rest: string): string {
  return /^[A-Za-z0-9_:.|/-]*/.exec(rest)?.[0] ?? "";
}
