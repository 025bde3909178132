import type { NodeHost } from "./node-host.js";

/** What makes a folder a project root, as in the Python loader (`.pipelex` itself counts too). */
export const PROJECT_ROOT_MARKERS = [
  ".pipelex",
  ".git",
  "package.json",
  "pyproject.toml",
  "setup.py",
  "setup.cfg",
  ".hg",
] as const;

/**
 * Walks up from `cwd` to the first folder holding a project marker. The home folder is never a
 * project root (it often holds a stray `package.json`, and `~/.pipelex` is the global layer),
 * and the walk never goes above it: a folder that contains the home folder is not read. Returns
 * `undefined` when no project root is found; only the home layers apply then.
 */
export async function findProjectRoot(
  host: NodeHost,
  cwd: string,
  homeDir: string,
): Promise<string | undefined> {
  const home = await host.realpath(homeDir);
  let current = await host.realpath(cwd);
  for (;;) {
    if (current === home || isInside(home, current, host.sep)) return undefined;
    for (const marker of PROJECT_ROOT_MARKERS) {
      if (await host.exists(host.join(current, marker))) return current;
    }
    const parent = host.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** True when `path` is strictly inside `folder`. */
function isInside(path: string, folder: string, sep: string): boolean {
  const prefix = folder.endsWith(sep) ? folder : `${folder}${sep}`;
  return path.startsWith(prefix);
}
