import { describe, expect, it } from "vitest";
import { DEFAULT_ALLOWED_MODES, detectMode, isModeAllowed, modeOffReason } from "./modes.js";

describe("runtime modes", () => {
  it("has the Python implementation's names and defaults", () => {
    expect(DEFAULT_ALLOWED_MODES).toEqual({
      ci: false,
      cli: true,
      docker: true,
      fastapi: true,
      mcp: true,
      n8n: true,
      pytest: false,
      python: false,
    });
  });

  it.each([
    ["cli", true],
    ["docker", true],
    ["fastapi", true],
    ["mcp", true],
    ["n8n", true],
    ["ci", false],
    ["pytest", false],
    ["python", false],
    ["server", false],
    ["toString", false],
  ] as const)("mode %s is allowed by default: %s", (mode, allowed) => {
    expect(isModeAllowed(mode, {})).toBe(allowed);
  });

  it("a file entry overrides the default, for known and unknown modes alike", () => {
    expect(isModeAllowed("python", { python: true })).toBe(true);
    expect(isModeAllowed("cli", { cli: false })).toBe(false);
    expect(isModeAllowed("server", { server: true })).toBe(true);
  });

  it("a test runner is the pytest mode, CI the ci mode, else cli", () => {
    expect(detectMode({ VITEST: "true" })).toEqual({ mode: "pytest", source: "VITEST" });
    expect(detectMode({ NODE_ENV: "test" })).toEqual({ mode: "pytest", source: "NODE_ENV" });
    expect(detectMode({ CI: "true" })).toEqual({ mode: "ci", source: "CI" });
    expect(detectMode({ CI: "0" })).toEqual({ mode: "cli", source: "default" });
    expect(detectMode({ VITEST: "1" }, "mcp")).toEqual({ mode: "mcp", source: "option" });
  });

  it("says why a mode is off, with a did-you-mean for an unknown one", () => {
    expect(modeOffReason("ci", {})).toBe(
      'mode "ci" is off by default (set ci = true in [telemetry_allowed_modes] to allow it)',
    );
    expect(modeOffReason("cli", { cli: false })).toBe('mode "cli" is off in [telemetry_allowed_modes]');
    expect(modeOffReason("fastpi", {})).toBe(
      'mode "fastpi" is unknown, and unknown modes are off (set fastpi = true in [telemetry_allowed_modes] to allow it); did you mean "fastapi"?',
    );
  });
});
