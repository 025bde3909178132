import { connect } from "node:net";
import { fixturePlugin } from "./fixture-plugin.mjs";

// A connection warmed up at import time.
connect(9, "127.0.0.1").on("error", () => {});

export default fixturePlugin({ name: "bad-import-socket" });
