import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadNodeHost } from "./node-host.js";
import { findProjectRoot } from "./project-root.js";
import { resolveTelemetryConfig } from "./resolve-config.js";

let root: string;
let home: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "pipelex-project-root-"));
  home = join(root, "home");
  await mkdir(home, { recursive: true });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function write(file: string, text = ""): Promise<string> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text, "utf8");
  return file;
}

const OTLP = (name: string) => `[[otlp]]\nname = "${name}"\nendpoint = "http://localhost:4318/v1/traces"\n`;
// Mode "ci" keeps custom telemetry off, so no plugin is imported: these tests are about which
// files are read, and the streams keep their section labels.
const resolve = (cwd: string) => resolveTelemetryConfig({ cwd, homeDir: home, env: {}, mode: "ci" });

describe("project discovery", () => {
  it.each([".git", "package.json", "pyproject.toml", "setup.py", "setup.cfg", ".hg", ".pipelex"])(
    "walks up from a nested subfolder to the folder holding %s",
    async (marker) => {
      const project = join(home, "code", "app");
      await write(
        join(project, marker, ...(marker.startsWith(".") && marker !== ".pipelex" ? ["HEAD"] : [])),
      );
      const nested = join(project, "src", "deep", "er");
      await mkdir(nested, { recursive: true });
      expect(await findProjectRoot(await loadNodeHost(), nested, home)).toBe(project);
    },
  );

  it("finds the project's telemetry.toml from a nested subfolder", async () => {
    const project = join(home, "code", "app");
    await write(join(project, "package.json"), "{}");
    const file = await write(join(project, ".pipelex", "telemetry.toml"), OTLP("project-collector"));
    const nested = join(project, "packages", "web", "src");
    await mkdir(nested, { recursive: true });
    const config = await resolve(nested);
    expect(config.streams.map((s) => s.name)).toEqual(["project-collector"]);
    expect(config.layers.find((l) => l.layer === "project")).toMatchObject({ path: file, loaded: true });
  });

  it("the nearest marker wins: a nested package is its own project", async () => {
    const outer = join(home, "mono");
    await write(join(outer, ".git", "HEAD"));
    await write(join(outer, ".pipelex", "telemetry.toml"), OTLP("outer"));
    const inner = join(outer, "packages", "svc");
    await write(join(inner, "package.json"), "{}");
    expect(await findProjectRoot(await loadNodeHost(), join(inner, "src"), home)).toBe(inner);
  });

  it("never reads a folder above the home folder, nor the home folder as a project", async () => {
    // Markers and a telemetry.toml above home, and a stray package.json in home itself.
    await write(join(root, ".git", "HEAD"));
    await write(join(root, "package.json"), "{}");
    const above = await write(join(root, ".pipelex", "telemetry.toml"), OTLP("above-home"));
    await write(join(home, "package.json"), "{}");
    const nested = join(home, "scratch", "no-markers-here");
    await mkdir(nested, { recursive: true });

    expect(await findProjectRoot(await loadNodeHost(), nested, home)).toBeUndefined();
    const config = await resolve(nested);
    expect(config.streams).toEqual([]);
    expect(config.layers.map((l) => l.path)).not.toContain(above);
    expect(config.layers.filter((l) => l.layer.startsWith("project"))).toEqual([
      expect.objectContaining({ skipped: true, loaded: false }),
      expect.objectContaining({ skipped: true, loaded: false }),
    ]);
  });

  it("from the home folder itself, only the home layers are read (never twice)", async () => {
    await write(join(home, ".pipelex", "telemetry.toml"), OTLP("home-collector"));
    const config = await resolve(home);
    expect(config.streams.map((s) => s.name)).toEqual(["home-collector"]);
    expect(config.layers.filter((l) => l.loaded)).toHaveLength(1);
  });

  it("a folder that contains the home folder is never a project root, even outside the walk from home", async () => {
    const sibling = join(root, "elsewhere", "tool");
    await mkdir(sibling, { recursive: true });
    await write(join(root, ".git", "HEAD"));
    // root contains home: walking up from a sibling tree must stop before it.
    expect(await findProjectRoot(await loadNodeHost(), sibling, home)).toBeUndefined();
  });

  it("a project outside the home folder is found", async () => {
    const project = join(root, "srv", "app");
    await write(join(project, "pyproject.toml"));
    expect(await findProjectRoot(await loadNodeHost(), join(project, "a"), home)).toBe(project);
  });

  it("compares real paths: a home reached through a symlink still stops the walk", async () => {
    const link = join(root, "home-link");
    await symlink(home, link);
    await write(join(root, ".git", "HEAD"));
    const nested = join(link, "x");
    await mkdir(nested, { recursive: true });
    expect(await findProjectRoot(await loadNodeHost(), nested, home)).toBeUndefined();
  });
});
