import { type DestinationExtras, defineExporter, splitExtras } from "@pipelex/telemetry-core/plugin";
import { JsonLinesExporter } from "./json-lines-exporter.js";
import { type JsonLinesOptions, parseJsonLinesOptions } from "./options.js";

/** The plugin: what `[[exporters]] package = "pipelex-telemetry-exporter-example"` loads. */
const plugin = defineExporter<JsonLinesOptions>({
  name: "json-lines",
  apiVersion: 1,
  parseOptions: parseJsonLinesOptions,
  create: (options, context) => new JsonLinesExporter(options.path, context),
  describe: (options) => ({ sends: `JSON lines to ${options.path}`, redacts: "nothing (full data)" }),
});
export default plugin;

/** The same plugin for app code: `createTelemetry({ destinations: [jsonLines({ path })] })`. */
export function jsonLines(options: JsonLinesOptions & DestinationExtras) {
  const { raw, extras } = splitExtras(options);
  return plugin.toDestination(raw, extras);
}

export type { JsonLinesOptions };
