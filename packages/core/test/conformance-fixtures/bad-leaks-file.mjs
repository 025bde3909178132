import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixturePlugin } from "./fixture-plugin.mjs";

export default fixturePlugin({
  name: "bad-leaks-file",
  leakFile: join(tmpdir(), "pipelex-conformance-leak.txt"),
});
