import { fixturePlugin } from "./fixture-plugin.mjs";

export default fixturePlugin({ name: "good-http", transport: "http" });
