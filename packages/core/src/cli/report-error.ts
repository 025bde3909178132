import type { CliContext } from "./context.js";

/** A config or plugin error as the CLI prints it (its messages never carry secret values). */
export function reportError(ctx: CliContext, error: Error): void {
  ctx.err(`pipelex-telemetry: ${error.name}: ${error.message}`);
}
