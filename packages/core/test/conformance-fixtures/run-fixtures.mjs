// Runs the conformance kit over the named fixtures in this process and writes, to the file
// named by the first argument, each fixture's failed checks ({ check, problem }). Used by
// conformance-kit.test.ts to run the kit with stdout a pipe, a file and a terminal.
import { writeFileSync } from "node:fs";
import { runExporterConformance } from "@pipelex/telemetry-core/testing";
import { fixtureOptions } from "./expectations.mjs";

const [resultsFile, ...fixtures] = process.argv.slice(2);
const results = {};
for (const fixture of fixtures) {
  const url = new URL(`./${fixture}.mjs`, import.meta.url);
  try {
    await runExporterConformance(url, fixtureOptions(url));
    results[fixture] = [];
  } catch (error) {
    results[fixture] = error.failures ?? [{ check: "crashed", problem: String(error) }];
  }
}
writeFileSync(resultsFile, JSON.stringify({ stdoutIsTTY: Boolean(process.stdout.isTTY), results }));
// Bad fixtures leave timers and files open on purpose.
process.exit(0);
