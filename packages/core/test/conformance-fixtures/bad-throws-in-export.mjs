import { fixturePlugin } from "./fixture-plugin.mjs";

export default fixturePlugin({ name: "bad-throws-in-export", throwInExport: true });
