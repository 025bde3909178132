import { parse, TomlError } from "smol-toml";
import { TelemetryConfigError } from "../errors.js";

/**
 * Parses one telemetry.toml layer. A syntax error names the file, line and column; its message
 * keeps only smol-toml's one-line reason, not the code excerpt it appends (that excerpt is the
 * offending line, which may hold a secret).
 */
export function parseTomlLayer(text: string, file: string): Record<string, unknown> {
  try {
    return parse(text) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof TomlError) {
      const reason = (error.message.split("\n")[0] ?? "").replace(/^Invalid TOML document:\s*/, "");
      // No `cause`: the TomlError's own message carries the excerpt we leave out.
      throw new TelemetryConfigError(`TOML syntax error: ${reason}`, {
        file,
        line: error.line,
        column: error.column,
        expected: "valid TOML",
      });
    }
    throw error;
  }
}
