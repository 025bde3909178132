import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { EXPORTER_PACKAGE_NAME, EXPORTER_VERSION } from "./version.js";

it("matches package.json", () => {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    name: string;
    version: string;
  };
  expect(EXPORTER_VERSION).toBe(pkg.version);
  expect(EXPORTER_PACKAGE_NAME).toBe(pkg.name);
});
