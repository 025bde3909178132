import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadNodeHost } from "../config/node-host.js";
import { detectPackageManager, installCommand } from "./package-manager.js";

describe("the install hint's package manager", () => {
  it("is the nearest lockfile's, from the app's folder up (a workspace root counts)", async () => {
    const host = await loadNodeHost();
    const root = await mkdtemp(join(tmpdir(), "pm-detect-"));
    const app = join(root, "apps", "web");
    await mkdir(app, { recursive: true });
    await writeFile(join(root, "yarn.lock"), "");
    expect(
      await detectPackageManager(host, app, { npm_config_user_agent: "pnpm/9.0.0 npm/? node/v20" }),
    ).toBe("yarn");
    await writeFile(join(app, "bun.lock"), "");
    expect(await detectPackageManager(host, app)).toBe("bun");
  });

  it("else the one running the app (npm_config_user_agent), else npm", async () => {
    const host = await loadNodeHost();
    const bare = await mkdtemp(join(tmpdir(), "pm-detect-"));
    expect(
      await detectPackageManager(host, bare, { npm_config_user_agent: "pnpm/12.4.2 npm/? node/v20" }),
    ).toBe("pnpm");
    expect(await detectPackageManager(host, bare, {})).toBe("npm");
  });

  it("spells each manager's install command", () => {
    expect(installCommand("npm", "x")).toBe("npm install x");
    expect(installCommand("pnpm", "x")).toBe("pnpm add x");
    expect(installCommand("yarn", "x")).toBe("yarn add x");
    expect(installCommand("bun", "x")).toBe("bun add x");
    expect(installCommand("deno", "x")).toBe("deno add npm:x");
  });
});
