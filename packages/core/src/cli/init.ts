import { access, mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { CONFIG_DIR, CONFIG_FILE } from "../config/layers.js";
import { commentedOutTemplate, TELEMETRY_TOML_TEMPLATE } from "../config/template.js";
import type { CliContext } from "./context.js";

export interface InitOptions {
  readonly global: boolean;
  readonly force: boolean;
}

/**
 * Writes the template with every stream off: `~/.pipelex/telemetry.toml` with `--global`, else
 * `<cwd>/.pipelex/telemetry.toml`. A project file is written fully commented out when a global
 * file exists, so the project inherits the global settings instead of overriding them with
 * explicit "off" values.
 */
export async function runInit(ctx: CliContext, options: InitOptions): Promise<number> {
  const globalFile = join(ctx.homeDir, CONFIG_DIR, CONFIG_FILE);
  const target = options.global ? globalFile : join(ctx.cwd, CONFIG_DIR, CONFIG_FILE);
  if (!options.force && (await exists(target))) {
    ctx.err(`pipelex-telemetry: ${target} already exists; not overwritten (use --force to replace it)`);
    return 1;
  }
  const inherit = !options.global && target !== globalFile && (await exists(globalFile));
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, inherit ? commentedOutTemplate() : TELEMETRY_TOML_TEMPLATE, "utf8");
  ctx.out(`Wrote ${target} (every stream off).`);
  if (inherit)
    ctx.out(`Settings are commented out: this project inherits ${globalFile} until you uncomment a key.`);
  ctx.out("Edit it, then check with: pipelex-telemetry status");
  return 0;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
