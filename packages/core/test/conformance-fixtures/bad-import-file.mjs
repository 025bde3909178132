import { openSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixturePlugin } from "./fixture-plugin.mjs";

// A log file opened when the module loads.
openSync(join(tmpdir(), "pipelex-conformance-import.log"), "a");

export default fixturePlugin({ name: "bad-import-file" });
