import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EXPORTER_PACKAGE_NAME, EXPORTER_VERSION } from "./version.js";

describe("version", () => {
  it("matches package.json", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      name: string;
      version: string;
    };
    expect(EXPORTER_VERSION).toBe(manifest.version);
    expect(EXPORTER_PACKAGE_NAME).toBe(manifest.name);
  });
});
