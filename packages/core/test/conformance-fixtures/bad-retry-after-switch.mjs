import { fixturePlugin } from "./fixture-plugin.mjs";

export default fixturePlugin({ name: "bad-retry-after-switch", retryAfterSwitch: true });
