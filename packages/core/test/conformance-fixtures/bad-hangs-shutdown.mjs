import { fixturePlugin } from "./fixture-plugin.mjs";

export default fixturePlugin({ name: "bad-hangs-shutdown", hangShutdown: true });
