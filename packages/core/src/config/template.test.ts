import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { commentedOutTemplate, TELEMETRY_TOML_TEMPLATE } from "./template.js";
import { pythonTemplate } from "./workspace.test-helper.js";

/** `key` of every commented-out setting (`# key = ...`) and `[section]` of every commented header. */
function commentedSettings(text: string): string[] {
  return text
    .split("\n")
    .map((line) => /^#\s*(\[\[?[a-z_]+\]\]?|[a-z_]+)\s*(?:=|$)/.exec(line)?.[1])
    .filter((key): key is string => key !== undefined);
}

describe("the init template", () => {
  it("is the Python implementation's file: same sections, keys and values, same commented-out settings", async () => {
    const python = await pythonTemplate();
    expect(parse(TELEMETRY_TOML_TEMPLATE)).toEqual(parse(python));
    // What a user uncomments: the same, plus this implementation's [[exporters]] example.
    const ours = commentedSettings(TELEMETRY_TOML_TEMPLATE);
    const extra = ["[[exporters]]", "package", "options"];
    expect(ours.filter((k) => !extra.includes(k))).toEqual(commentedSettings(python));
    expect(commentedSettings(python)).toContain("python");
  });

  it("is the file shipped in templates/ (one source of truth for the docs and the CLI)", async () => {
    const shipped = await readFile(join(import.meta.dirname, "../../templates/telemetry.toml"), "utf8");
    expect(shipped).toBe(TELEMETRY_TOML_TEMPLATE);
  });

  it("turns every stream off", () => {
    const doc = parse(TELEMETRY_TOML_TEMPLATE) as Record<string, Record<string, unknown>>;
    expect(Object.keys(doc).sort()).toEqual(["custom_portkey", "custom_posthog", "langfuse"]);
    expect(doc.custom_posthog!.mode).toBe("off");
    expect((doc.custom_posthog!.tracing as { enabled: boolean }).enabled).toBe(false);
    expect(doc.langfuse!.enabled).toBe(false);
  });

  it("has a fully commented-out variant that sets nothing, so a project inherits the global file", () => {
    const commented = commentedOutTemplate();
    expect(parse(commented)).toEqual({});
    const settings = TELEMETRY_TOML_TEMPLATE.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#"));
    expect(settings.length).toBeGreaterThan(10);
    for (const line of settings) expect(commented.split("\n")).toContain(`# ${line}`);
  });
});
