import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/**
 * A throwaway app folder and home folder for config tests: `loadTelemetry({ cwd: project,
 * homeDir: home })` reads their `.pipelex/` files and resolves the given packages from the
 * project's node_modules, as it would in a real app.
 */
export interface AppProject {
  readonly root: string;
  readonly project: string;
  readonly home: string;
  /** Writes `<project>/.pipelex/<file>`; returns its path. */
  writeProject(file: string, text: string): Promise<string>;
  /** Writes `<home>/.pipelex/<file>`; returns its path. */
  writeHome(file: string, text: string): Promise<string>;
  /** Writes any file (an absolute path), creating its folders; returns its path. */
  write(file: string, text: string): Promise<string>;
  cleanup(): Promise<void>;
}

/** `installed`: package name -> folder, linked into the project's node_modules. */
export async function createAppProject(
  installed: Readonly<Record<string, string>> = {},
): Promise<AppProject> {
  const root = await mkdtemp(join(tmpdir(), "pipelex-app-"));
  const project = join(root, "project");
  const home = join(root, "home");
  await mkdir(join(project, ".pipelex"), { recursive: true });
  await mkdir(join(home, ".pipelex"), { recursive: true });
  for (const [name, folder] of Object.entries(installed)) {
    const link = join(project, "node_modules", name);
    await mkdir(dirname(link), { recursive: true });
    await symlink(folder, link, "dir");
  }
  const write = async (file: string, text: string) => {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text, "utf8");
    return file;
  };
  return {
    root,
    project,
    home,
    writeProject: (file, text) => write(join(project, ".pipelex", file), text),
    writeHome: (file, text) => write(join(home, ".pipelex", file), text),
    write,
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}
