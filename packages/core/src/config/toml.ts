import { parse, TomlError } from "smol-toml";
import { TelemetryConfigError } from "../errors.js";

/**
 * Parses one telemetry.toml layer. A syntax error names the file, line and column and says
 * what is wrong in plain words. It never quotes the offending line, which may hold a secret:
 * smol-toml's own message (with its code excerpt) is not kept, not even as `cause`.
 */
export function parseTomlLayer(text: string, file: string): Record<string, unknown> {
  try {
    return parse(text) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const reason = (error.message.split("\n")[0] ?? "").replace(/^Invalid TOML document:\s*/, "");
    throw new TelemetryConfigError(
      `TOML syntax error: ${plainReason(reason, text.split(/\r?\n/)[error.line - 1] ?? "")}`,
      {
        file,
        line: error.line,
        column: error.column,
      },
    );
  }
}

/** smol-toml's reason, said the way a person editing the file would understand it. */
export function plainReason(reason: string, line: string): string {
  if (opensStringWithoutClosing(line)) {
    return "a string is not closed: add the closing quote before the end of the line";
  }
  if (/^\s*\[[^\]]*$/.test(stripComment(line))) return 'a table header is not closed: add "]"';
  const known: [RegExp, string][] = [
    [/unfinished string/, "a multi-line string is not closed: add the closing \"\"\" (or ''')"],
    [/redefine an already defined/, "this key or table is defined twice in the file"],
    [
      /invalid value/,
      'the value is missing or not valid TOML (text needs quotes, as in "yes"; booleans are true or false)',
    ],
    [/must be followed by an end-of-line/, "only one key = value per line: something follows the value"],
    [
      /expected comma or end of structure/,
      "an array or inline table is not closed, or two items lack a comma between them",
    ],
    [
      /unrecognised escape sequence/,
      "a string holds an unknown backslash escape: write \\\\ for a backslash, or use 'single quotes'",
    ],
    [
      /control characters are not allowed/,
      "a string holds a control character (a tab or line break): write it as \\t or \\n",
    ],
    [
      /illegal character in key|unexpected end of key/,
      'expected key = value here (a key holds only letters, digits, "_" and "-"; quote any other key)',
    ],
  ];
  return known.find(([pattern]) => pattern.test(reason))?.[1] ?? reason;
}

/** A `"` or `'` string opened on this line and not closed before its end (comments ignored). */
function opensStringWithoutClosing(line: string): boolean {
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === undefined) {
      if (c === "#") return false;
      if (c === '"' || c === "'") {
        // A triple quote opens a multi-line string, which may legitimately span lines.
        if (line.startsWith(c.repeat(3), i)) return false;
        quote = c;
      }
    } else if (quote === '"' && c === "\\") {
      i++;
    } else if (c === quote) {
      quote = undefined;
    }
  }
  return quote !== undefined;
}

function stripComment(line: string): string {
  const hash = line.indexOf("#");
  return hash === -1 ? line : line.slice(0, hash);
}
