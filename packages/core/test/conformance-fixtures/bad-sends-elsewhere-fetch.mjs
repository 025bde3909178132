import { fixturePlugin } from "./fixture-plugin.mjs";

export default fixturePlugin({ name: "bad-sends-elsewhere-fetch", sendElsewhereOnSwitch: "fetch" });
