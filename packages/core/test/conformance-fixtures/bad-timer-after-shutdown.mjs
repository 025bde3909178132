import { fixturePlugin } from "./fixture-plugin.mjs";

export default fixturePlugin({ name: "bad-timer-after-shutdown", timerAfterShutdown: true });
