import { fixturePlugin } from "./fixture-plugin.mjs";

export default fixturePlugin({ name: "bad-print-after-shutdown", printAfterShutdown: true });
