import { fixturePlugin } from "./fixture-plugin.mjs";

export default fixturePlugin({
  name: "bad-undeclared-secret",
  logSecretTo: "logger",
  undeclaredSecret: true,
});
