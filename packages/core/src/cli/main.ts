/**
 * The `pipelex-telemetry` bin. Only this module has side effects; `run.ts` holds the commands.
 */
import { processContext } from "./context.js";
import { main } from "./run.js";

main(process.argv.slice(2), processContext()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `pipelex-telemetry: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
