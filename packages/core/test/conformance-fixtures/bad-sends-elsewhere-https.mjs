import { fixturePlugin } from "./fixture-plugin.mjs";

export default fixturePlugin({ name: "bad-sends-elsewhere-https", sendElsewhereOnSwitch: "https" });
