import type { NodeHost } from "../config/node-host.js";
import type { EnvSource } from "../kill-switch/do-not-track.js";

export type PackageManager = "npm" | "pnpm" | "yarn" | "bun" | "deno";

// Checked in this order in each folder, from the app's folder up to the file-system root.
const LOCKFILES: readonly (readonly [string, PackageManager])[] = [
  ["pnpm-lock.yaml", "pnpm"],
  ["yarn.lock", "yarn"],
  ["bun.lock", "bun"],
  ["bun.lockb", "bun"],
  ["deno.lock", "deno"],
  ["package-lock.json", "npm"],
  ["npm-shrinkwrap.json", "npm"],
];

/**
 * The app's package manager, for install hints: the nearest lockfile from `cwd` up, else the
 * one running us (`npm_config_user_agent`, set by `npm run`, `pnpm`, `yarn`, `bun run`), else npm,
 * which every Node install has.
 */
export async function detectPackageManager(
  host: Pick<NodeHost, "exists" | "join" | "dirname">,
  cwd: string,
  env: EnvSource = {},
): Promise<PackageManager> {
  for (let dir = cwd, parent = host.dirname(dir); ; dir = parent, parent = host.dirname(dir)) {
    for (const [file, manager] of LOCKFILES) {
      if (await host.exists(host.join(dir, file))) return manager;
    }
    if (parent === dir) break;
  }
  const agent = /^(npm|pnpm|yarn|bun|deno)\//.exec(env.npm_config_user_agent ?? "")?.[1];
  return (agent as PackageManager | undefined) ?? "npm";
}

export function installCommand(manager: PackageManager, packageName: string): string {
  switch (manager) {
    case "npm":
      return `npm install ${packageName}`;
    case "deno":
      return `deno add npm:${packageName}`;
    default:
      return `${manager} add ${packageName}`;
  }
}
