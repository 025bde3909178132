import { describe, expect, it } from "vitest";
import { ConfigProblems } from "./config/problems.js";
import { InvalidEndpointError, TelemetryConfigError } from "./errors.js";

describe("TelemetryConfigError", () => {
  it("keeps the single-problem form: one problem, fields on the error", () => {
    const error = new TelemetryConfigError("must be a table", { file: "/p/t.toml", keyPath: "langfuse" });
    expect(error.message).toBe('/p/t.toml, key "langfuse": must be a table');
    expect(error.problems).toEqual([{ file: "/p/t.toml", keyPath: "langfuse", message: "must be a table" }]);
    expect(error.keyPath).toBe("langfuse");
  });

  it("subclasses carry their problem too", () => {
    const error = new InvalidEndpointError("has no scheme", { keyPath: "endpoint" });
    expect(error.problems).toHaveLength(1);
    expect(error).toBeInstanceOf(TelemetryConfigError);
  });

  it("does not say what was expected twice", () => {
    const error = new TelemetryConfigError("expected boolean, received string", {
      keyPath: "langfuse.enabled",
      expected: "boolean",
    });
    expect(error.message).toBe('options, key "langfuse.enabled": expected boolean, received string');
    const plain = new TelemetryConfigError("is not a boolean", { keyPath: "a", expected: "boolean" });
    expect(plain.message).toBe('options, key "a": is not a boolean (expected boolean)');
  });

  it("fromProblems lists every problem, grouped by file, duplicates dropped", () => {
    const error = TelemetryConfigError.fromProblems([
      { file: "/h/.pipelex/telemetry.toml", line: 2, keyPath: "langfuse.enabld", message: "unknown key" },
      { file: "/p/.pipelex/telemetry.toml", keyPath: "custom_posthog.mode", message: "bad mode" },
      { file: "/h/.pipelex/telemetry.toml", line: 7, column: 3, message: "unterminated string" },
      { file: "/p/.pipelex/telemetry.toml", keyPath: "custom_posthog.mode", message: "bad mode" },
    ]);
    expect(error.problems).toHaveLength(3);
    expect(error.message).toBe(
      [
        "The telemetry configuration has 3 problems:",
        "  /h/.pipelex/telemetry.toml",
        '    - line 2, key "langfuse.enabld": unknown key',
        "    - line 7, column 3: unterminated string",
        "  /p/.pipelex/telemetry.toml",
        '    - key "custom_posthog.mode": bad mode',
      ].join("\n"),
    );
    expect(error.file).toBe("/h/.pipelex/telemetry.toml");
  });

  it("groups problems without a file apart from the files", () => {
    const mixed = TelemetryConfigError.fromProblems([
      { file: "/p/t.toml", keyPath: "a", message: "bad" },
      { message: 'plugin "x" is not installed' },
    ]);
    expect(mixed.message).toContain('\n  other problems\n    - plugin "x" is not installed');
    const code = TelemetryConfigError.fromProblems([
      { keyPath: "a", message: "one" },
      { keyPath: "b", message: "two" },
    ]);
    expect(code.message).toContain("\n  options\n");
  });

  it("refuses an empty list", () => {
    expect(() => TelemetryConfigError.fromProblems([])).toThrow(RangeError);
  });
});

describe("ConfigProblems", () => {
  it("collects the problems of every config error and rethrows anything else", () => {
    const problems = new ConfigProblems();
    problems.attempt(() => {
      throw new TelemetryConfigError("first", { keyPath: "a" });
    });
    problems.attempt(() => {
      throw TelemetryConfigError.fromProblems([{ message: "second" }, { message: "third" }]);
    });
    expect(problems.attempt(() => 42)).toBe(42);
    expect(() =>
      problems.attempt(() => {
        throw new TypeError("bug");
      }),
    ).toThrow(TypeError);
    expect(() => problems.throwIfAny()).toThrow(
      expect.objectContaining({
        problems: [expect.objectContaining({ message: "first" }), expect.anything(), expect.anything()],
      }),
    );
  });

  it("rethrows a lone error as itself, keeping its class", () => {
    const problems = new ConfigProblems();
    const original = new InvalidEndpointError("has no scheme", { keyPath: "endpoint" });
    problems.attempt(() => {
      throw original;
    });
    expect(() => problems.throwIfAny()).toThrow(original);
    problems.add({ message: "another" });
    expect(() => problems.throwIfAny()).toThrow(
      expect.objectContaining({
        name: "TelemetryConfigError",
        problems: [expect.anything(), expect.anything()],
      }),
    );
  });

  it("throws nothing when nothing went wrong", () => {
    expect(() => new ConfigProblems().throwIfAny()).not.toThrow();
  });
});
