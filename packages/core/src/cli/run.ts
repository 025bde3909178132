import { parseArgs } from "node:util";
import { closestMatch } from "../config/suggestions.js";
import { TelemetryError } from "../errors.js";
import { CORE_VERSION } from "../version.js";
import type { CliContext } from "./context.js";
import { runInit } from "./init.js";
import { runPreview } from "./preview.js";
import { runStatus } from "./status.js";

interface FlagSpec {
  readonly type: "boolean" | "string";
  readonly short?: string;
  /** `--mode M`: the value's placeholder in the help. */
  readonly value?: string;
  readonly help: string;
}

interface CommandSpec {
  readonly summary: string;
  /** Positional arguments the command accepts (`init telemetry`, as in `pipelex init telemetry`). */
  readonly positionals?: readonly string[];
  readonly flags: Readonly<Record<string, FlagSpec>>;
}

const MODE_FLAG: FlagSpec = {
  type: "string",
  value: "M",
  help: "runtime mode checked against [telemetry_allowed_modes] (default: detected)",
};
const JSON_FLAG: FlagSpec = { type: "boolean", help: "print JSON" };
const HELP_FLAG: FlagSpec = { type: "boolean", short: "h", help: "show this help" };

/** Every command and the flags it takes: parsing, help and "unknown flag" messages all come from here. */
const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  init: {
    summary:
      "write ~/.pipelex/telemetry.toml (every stream off), as `pipelex init telemetry` does; " +
      "--local writes the project's .pipelex/telemetry.toml with every setting commented out",
    positionals: ["telemetry"],
    flags: {
      local: {
        type: "boolean",
        short: "l",
        help: "write the project's file (found from the working directory)",
      },
      global: { type: "boolean", short: "g", help: "write ~/.pipelex/telemetry.toml (the default)" },
      force: { type: "boolean", help: "replace an existing file" },
      help: HELP_FLAG,
    },
  },
  status: {
    summary: "each stream: on or off and why, where it sends, what it redacts",
    flags: { json: JSON_FLAG, mode: MODE_FLAG, help: HELP_FLAG },
  },
  preview: {
    summary: "run a sample workflow through each stream's redaction and print what would leave the machine",
    flags: {
      json: JSON_FLAG,
      all: { type: "boolean", help: "preview streams that are off as if they were on" },
      mode: MODE_FLAG,
      help: HELP_FLAG,
    },
  },
};

const USAGE = [
  "Usage: pipelex-telemetry <command> [options]",
  "",
  "Commands:",
  ...Object.entries(COMMANDS).flatMap(([name, spec]) => [
    `  ${name} ${Object.keys(spec.flags)
      .filter((f) => f !== "help")
      .map((f) => `[${flagLabel(f, spec.flags[f]!)}]`)
      .join(" ")}`,
    `      ${spec.summary}`,
  ]),
  "",
  "Options:",
  "  --help, -h   show this help (or a command's: pipelex-telemetry <command> --help)",
  "  --version    print the version",
].join("\n");

/** Runs one command; returns the exit code (0 ok, 1 config or plugin error, 2 usage). */
export async function main(argv: string[], ctx: CliContext): Promise<number> {
  const [first, ...rest] = argv;
  if (first === "--version") {
    ctx.out(CORE_VERSION);
    return 0;
  }
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    ctx.out(USAGE);
    return first === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
  if (!command) {
    const suggestion = first.startsWith("-") ? undefined : closestMatch(first, Object.keys(COMMANDS));
    const didYouMean = suggestion ? ` (did you mean "${suggestion}"?)` : "";
    const what = first.startsWith("-")
      ? `put the command before ${first}`
      : `unknown command "${first}"${didYouMean}`;
    ctx.err(`pipelex-telemetry: ${what}\n\n${USAGE}`);
    return 2;
  }
  const parsed = parseCommand(first, command, rest);
  if (typeof parsed === "string") {
    ctx.err(`pipelex-telemetry ${first}: ${parsed}\n\n${commandHelp(first, command)}`);
    return 2;
  }
  const { values } = parsed;
  if (values.help) {
    ctx.out(commandHelp(first, command));
    return 0;
  }
  try {
    switch (first) {
      case "init":
        return await runInit(ctx, {
          local: values.local === true,
          global: values.global === true,
          force: values.force === true,
        });
      case "status":
        return await runStatus(ctx, { json: values.json === true, mode: stringFlag(values.mode) });
      default:
        return await runPreview(ctx, {
          json: values.json === true,
          mode: stringFlag(values.mode),
          all: values.all === true,
        });
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

type ParsedCommand = { values: Record<string, string | boolean | undefined> };

/** The command's flags, or what is wrong with them in words that list the flags it takes. */
function parseCommand(name: string, spec: CommandSpec, args: string[]): ParsedCommand | string {
  const options: Record<string, { type: "boolean" | "string"; short?: string }> = {};
  for (const [flag, f] of Object.entries(spec.flags)) {
    options[flag] = f.short ? { type: f.type, short: f.short } : { type: f.type };
  }
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    return describeParseError(error, name, spec);
  }
  const allowed = spec.positionals ?? [];
  const extra = parsed.positionals.find((p) => !allowed.includes(p));
  if (extra !== undefined) {
    return allowed.length > 0
      ? `unexpected argument "${extra}" (${name} takes ${allowed.map((a) => `"${a}"`).join(" or ")}, or nothing)`
      : `unexpected argument "${extra}" (${name} takes no arguments)`;
  }
  return { values: parsed.values };
}

function describeParseError(error: unknown, name: string, spec: CommandSpec): string {
  const message = error instanceof Error ? error.message : String(error);
  const takes = `${name} takes ${Object.entries(spec.flags)
    .map(([flag, f]) => flagLabel(flag, f))
    .join(", ")}`;
  const unknown = /Unknown option '(-{1,2})([^']+)'/.exec(message);
  if (unknown) {
    const given = unknown[2]!;
    const suggestion = closestMatch(given, Object.keys(spec.flags));
    const didYouMean = suggestion ? ` (did you mean --${suggestion}?)` : "";
    return `unknown flag ${unknown[1]}${given}${didYouMean}; ${takes}`;
  }
  const missingValue = /Option '(?:-\w, )?--([\w-]+) <value>' argument missing/.exec(message);
  if (missingValue) return `--${missingValue[1]} needs a value; ${takes}`;
  return `${message.split("\n")[0]}; ${takes}`;
}

function commandHelp(name: string, spec: CommandSpec): string {
  const flags = Object.entries(spec.flags).map(([flag, f]) => `  ${flagLabel(flag, f).padEnd(16)} ${f.help}`);
  const positionals = spec.positionals?.length ? ` [${spec.positionals.join("|")}]` : "";
  return [
    `Usage: pipelex-telemetry ${name}${positionals} [options]`,
    "",
    spec.summary,
    "",
    "Options:",
    ...flags,
  ].join("\n");
}

function flagLabel(flag: string, f: FlagSpec): string {
  return `--${flag}${f.value ? ` ${f.value}` : ""}${f.short ? ` (-${f.short})` : ""}`;
}

function stringFlag(value: string | boolean | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}
