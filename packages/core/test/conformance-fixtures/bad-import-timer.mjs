import { fixturePlugin } from "./fixture-plugin.mjs";

// A "heartbeat" started when the module loads, before any telemetry is configured.
setTimeout(() => {}, 10).unref();

export default fixturePlugin({ name: "bad-import-timer" });
