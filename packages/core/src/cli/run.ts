import { parseArgs } from "node:util";
import { TelemetryError } from "../errors.js";
import { CORE_VERSION } from "../version.js";
import type { CliContext } from "./context.js";
import { runInit } from "./init.js";
import { runPreview } from "./preview.js";
import { runStatus } from "./status.js";

const USAGE = `Usage: pipelex-telemetry <command> [options]

Commands:
  init [--global] [--force]     write .pipelex/telemetry.toml (every stream off);
                                --global writes ~/.pipelex/telemetry.toml
  status [--json] [--mode M]    each stream: on or off and why, where it sends, what it redacts
  preview [--json] [--all] [--mode M]
                                run a sample workflow through each stream's redaction and
                                print what would leave the machine (nothing is sent)

Options:
  --mode M     runtime mode checked against [telemetry_allowed_modes] (default: detected)
  --help, -h   show this help
  --version    print the version`;

const COMMAND_FLAGS: Record<string, readonly string[] | undefined> = {
  init: ["global", "force"],
  status: ["json", "mode"],
  preview: ["json", "all", "mode"],
};

/** Runs one command; returns the exit code (0 ok, 1 config or plugin error, 2 usage). */
export async function main(argv: string[], ctx: CliContext): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    ctx.err(`pipelex-telemetry: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    ctx.out(CORE_VERSION);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === "help") {
    ctx.out(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  if (rest.length > 0) {
    ctx.err(`pipelex-telemetry: unexpected argument "${rest[0]}"\n\n${USAGE}`);
    return 2;
  }
  const unsupported = Object.keys(values).find((flag) => !COMMAND_FLAGS[command]?.includes(flag));
  if (COMMAND_FLAGS[command] && unsupported !== undefined) {
    ctx.err(`pipelex-telemetry: ${command} does not take --${unsupported}\n\n${USAGE}`);
    return 2;
  }
  try {
    switch (command) {
      case "init":
        return await runInit(ctx, { global: values.global === true, force: values.force === true });
      case "status":
        return await runStatus(ctx, { json: values.json === true, mode: values.mode });
      case "preview":
        return await runPreview(ctx, {
          json: values.json === true,
          mode: values.mode,
          all: values.all === true,
        });
      default:
        ctx.err(`pipelex-telemetry: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    // Config and plugin errors are for the user; their messages never carry secret values.
    if (error instanceof TelemetryError) {
      ctx.err(`pipelex-telemetry: ${error.name}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      global: { type: "boolean" },
      force: { type: "boolean" },
      json: { type: "boolean" },
      all: { type: "boolean" },
      mode: { type: "string" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean" },
    },
  });
}
