import { access, mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { CONFIG_DIR, CONFIG_FILE } from "../config/layers.js";
import { loadNodeHost } from "../config/node-host.js";
import { findProjectRoot } from "../config/project-root.js";
import { commentedOutTemplate, TELEMETRY_TOML_TEMPLATE } from "../config/template.js";
import type { CliContext } from "./context.js";

export interface InitOptions {
  /** The project's file instead of the global one (Python's `--local`). */
  readonly local: boolean;
  /** The global file: the default, kept as an explicit flag for scripts that pass it. */
  readonly global: boolean;
  readonly force: boolean;
}

/**
 * Writes what Python's `pipelex init telemetry` writes, where it writes it: by default
 * `~/.pipelex/telemetry.toml` with every stream off; with `--local`, the project's
 * `.pipelex/telemetry.toml` (project root found from the working directory, as the loader finds
 * it, else the working directory) with every setting commented out, so the project file never
 * silently overrides the global settings with explicit "off" values. Never overwrites an
 * existing file without `--force`.
 */
export async function runInit(ctx: CliContext, options: InitOptions): Promise<number> {
  if (options.local && options.global) {
    ctx.err("pipelex-telemetry init: --local and --global name different files; pass one");
    return 2;
  }
  const globalFile = join(ctx.homeDir, CONFIG_DIR, CONFIG_FILE);
  const target = options.local ? join(await projectFolder(ctx), CONFIG_DIR, CONFIG_FILE) : globalFile;
  if (!options.force && (await exists(target))) {
    ctx.err(`pipelex-telemetry init: ${target} already exists; not overwritten (use --force to replace it)`);
    return 1;
  }
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, options.local ? commentedOutTemplate() : TELEMETRY_TOML_TEMPLATE, "utf8");
  if (options.local) {
    ctx.out(`Wrote ${target} with every setting commented out: the project inherits ${globalFile}.`);
    ctx.out("Uncomment a key to override it for this project, then check with: pipelex-telemetry status");
  } else {
    ctx.out(`Wrote ${target} (every stream off).`);
    ctx.out("Edit it, then check with: pipelex-telemetry status");
  }
  return 0;
}

async function projectFolder(ctx: CliContext): Promise<string> {
  return (await findProjectRoot(await loadNodeHost(), ctx.cwd, ctx.homeDir)) ?? ctx.cwd;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
