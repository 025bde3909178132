import { type DestinationExtras, defineExporter, splitExtras } from "@pipelex/telemetry-core/plugin";
import { JsonLinesExporter } from "./json-lines-exporter.js";
import { type JsonLinesOptions, parseJsonLinesOptions } from "./options.js";

/** The plugin: what `[[exporters]] package = "pipelex-telemetry-exporter-example"` loads. */
const plugin = defineExporter<JsonLinesOptions>({
  name: "json-lines",
  apiVersion: 2,
  parseOptions: parseJsonLinesOptions,
  secrets: () => [],
  defaultRedaction: () => [],
  create: (options, context) => new JsonLinesExporter(options.path, context),
  describe: (options) => ({ sendsTo: `JSON lines in ${options.path}`, receives: "full data", redacts: [] }),
});
export default plugin;

/** The same plugin for app code: `createTelemetry({ destinations: [jsonLines({ path })] })`. */
export function jsonLines(options: JsonLinesOptions & DestinationExtras) {
  const { raw, extras } = splitExtras(options);
  return plugin.toDestination(raw, extras);
}

export type { JsonLinesOptions };
