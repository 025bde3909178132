import { homedir } from "node:os";

/** What a command runs against; tests spawn the CLI with a temporary HOME and cwd. */
export interface CliContext {
  readonly cwd: string;
  readonly homeDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export function processContext(): CliContext {
  return {
    cwd: process.cwd(),
    homeDir: homedir(),
    env: process.env,
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  };
}
