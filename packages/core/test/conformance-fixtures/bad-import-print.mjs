import { fixturePlugin } from "./fixture-plugin.mjs";

console.log("fixture plugin loaded");

export default fixturePlugin({ name: "bad-import-print" });
