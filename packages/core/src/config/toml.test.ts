import { describe, expect, it } from "vitest";
import type { TelemetryConfigError } from "../errors.js";
import { parseTomlLayer } from "./toml.js";

const SECRET = "phc_never_in_a_message_000000";

function syntaxError(text: string): TelemetryConfigError {
  try {
    parseTomlLayer(text, "/p/.pipelex/telemetry.toml");
  } catch (error) {
    return error as TelemetryConfigError;
  }
  throw new Error("expected a syntax error");
}

describe("TOML syntax errors in plain words", () => {
  it.each([
    [
      `api_key = "${SECRET}\nmode = "off"\n`,
      1,
      "a string is not closed: add the closing quote before the end of the line",
    ],
    [`api_key = '${SECRET}\n`, 1, "a string is not closed"],
    [`a = """${SECRET}\n`, 1, "a multi-line string is not closed"],
    ["[custom_posthog\nmode = 1\n", 1, 'a table header is not closed: add "]"'],
    [
      "[langfuse]\nenabled = yes\n",
      2,
      'the value is missing or not valid TOML (text needs quotes, as in "yes"',
    ],
    ["[langfuse]\nenabled = true\nenabled = false\n", 3, "this key or table is defined twice"],
    ["mode = 1 2\n", 1, "only one key = value per line"],
    ['redact_properties = ["a", "b"\n', 2, "an array or inline table is not closed"],
    ['endpoint = "C:\\q"\n', 1, "unknown backslash escape"],
    ['mode "off"\n', 1, "expected key = value here"],
  ])("%j -> line %i: %s", (text, line, words) => {
    const error = syntaxError(text);
    expect(error.message).toContain(words);
    expect(error.line).toBe(line);
    expect(error.problems).toHaveLength(1);
    expect(error.message).toMatch(
      /^\/p\/\.pipelex\/telemetry\.toml, line \d+, column \d+: TOML syntax error: /,
    );
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain("control characters");
    expect(error.cause).toBeUndefined();
  });
});
