import { libraryBuild } from "../../tsup.shared.js";

// This plugin writes files: Node-only, the plugin author's choice.
export default libraryBuild({ target: "node20", platform: "node" });
