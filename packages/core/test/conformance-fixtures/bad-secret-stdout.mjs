import { fixturePlugin } from "./fixture-plugin.mjs";

export default fixturePlugin({ name: "bad-secret-stdout", logSecretTo: "stdout" });
