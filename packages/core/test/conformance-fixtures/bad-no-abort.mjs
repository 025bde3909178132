import { fixturePlugin } from "./fixture-plugin.mjs";

export default fixturePlugin({ name: "bad-no-abort", noAbort: true });
