import { fixturePlugin } from "./fixture-plugin.mjs";

export default fixturePlugin({ name: "bad-leaks-interval", leakInterval: true });
