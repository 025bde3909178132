import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** What a child app printed (one JSON line per event, by its `event` name) and how it ended. */
export interface ChildAppRun {
  readonly events: Record<string, Record<string, unknown>>;
  readonly exitCode: number | null;
  readonly stderr: string;
}

/**
 * Runs `script` in its own Node process with stdout a pipe (as in CI), from this package's folder,
 * with only PATH (and `env`) in its environment; killed after 30 s. Lines that are not JSON are
 * kept in `stderr`, so a stray print shows in a failure instead of breaking the parse.
 */
export async function runChildApp(
  script: string,
  args: readonly string[],
  options: { nodeFlags?: readonly string[]; env?: Record<string, string> } = {},
): Promise<ChildAppRun> {
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), script, ...args], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    env: { PATH: process.env.PATH ?? "", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exitCode = await new Promise<number | null>((resolve) => {
    const guard = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("exit", (code) => {
      clearTimeout(guard);
      resolve(code);
    });
  });
  const events: Record<string, Record<string, unknown>> = {};
  for (const line of stdout.split("\n").filter(Boolean)) {
    try {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      events[String(parsed.event)] = parsed;
    } catch {
      stderr += `\nunparsable stdout line: ${line}`;
    }
  }
  return { events, exitCode, stderr };
}
