import { fixturePlugin } from "./fixture-plugin.mjs";

export default fixturePlugin({
  name: "bad-http-retry-after-switch",
  retryAfterSwitch: true,
  transport: "http",
});
