import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * Temporary home and project folders for config and discovery tests. Nothing here touches the
 * real `~/.pipelex`: every test passes `homeDir` (or HOME for the CLI) explicitly.
 */
export interface Workspace {
  readonly root: string;
  readonly home: string;
  readonly project: string;
  writeHome(file: string, text: string): Promise<string>;
  writeProject(file: string, text: string): Promise<string>;
  /** Creates `<project>/node_modules/<name>` with a package.json and the given files. */
  addPackage(
    name: string,
    files: Record<string, string>,
    manifest?: Record<string, unknown>,
  ): Promise<string>;
  cleanup(): Promise<void>;
}

export async function createWorkspace(): Promise<Workspace> {
  const root = await mkdtemp(join(tmpdir(), "pipelex-telemetry-test-"));
  const home = join(root, "home");
  const project = join(root, "project");
  await mkdir(home, { recursive: true });
  await mkdir(project, { recursive: true });
  const write = async (file: string, text: string) => {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text, "utf8");
    return file;
  };
  return {
    root,
    home,
    project,
    writeHome: (file, text) => write(join(home, ".pipelex", file), text),
    writeProject: (file, text) => write(join(project, ".pipelex", file), text),
    async addPackage(name, files, manifest = {}) {
      const dir = join(project, "node_modules", name);
      await write(
        join(dir, "package.json"),
        JSON.stringify({ name, version: "0.0.0", type: "module", main: "index.mjs", ...manifest }),
      );
      for (const [file, text] of Object.entries(files)) await write(join(dir, file), text);
      return dir;
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

/** The built plugin API; fake plugins import it by absolute URL, as a real plugin imports the package. */
export const CORE_DIST = resolve(import.meta.dirname, "../../dist");
export const CORE_PLUGIN_URL = pathToFileURL(join(CORE_DIST, "plugin.js")).href;

/**
 * A plugin module built with `defineExporter` that records, in a global sink, the options it
 * was created with and the names of the spans it exported. `schema` validates options with a
 * first-party schema from core, as the real first-party packages do.
 */
export function recordingPluginSource(options: {
  sinkKey: string;
  name: string;
  schema?: "posthogOptionsSchema" | "langfuseOptionsSchema" | "otlpOptionsSchema";
}): string {
  const parse = options.schema ? `parseOptionsWith(${options.schema}, raw, source)` : "raw";
  return `import { defineExporter, parseOptionsWith, posthogOptionsSchema, langfuseOptionsSchema, otlpOptionsSchema } from ${JSON.stringify(CORE_PLUGIN_URL)};
const sinks = (globalThis.__pipelexFakeSinks ??= {});
const sink = (sinks[${JSON.stringify(options.sinkKey)}] ??= { created: [], spans: [] });
export default defineExporter({
  name: ${JSON.stringify(options.name)},
  apiVersion: 1,
  parseOptions(raw, source) { return ${parse}; },
  destinationName(o) { return typeof o.name === "string" ? o.name : ${JSON.stringify(options.name)}; },
  create(options) {
    sink.created.push(options);
    return {
      export(spans, done) { for (const s of spans) sink.spans.push(s.name); done({ code: 0 }); },
      shutdown: async () => {},
      forceFlush: async () => {},
    };
  },
});
`;
}

export interface FakeSink {
  created: Record<string, unknown>[];
  spans: string[];
}

export function readSink(sinkKey: string): FakeSink {
  const sinks = (globalThis as { __pipelexFakeSinks?: Record<string, FakeSink> }).__pipelexFakeSinks ?? {};
  return sinks[sinkKey] ?? { created: [], spans: [] };
}

export const THROWING_MODULE = `throw new Error("this plugin module must never be imported");\n`;

/** Carries the plugin brand but declares an API version core does not support. */
export const API_V2_MODULE = `export default {
  [Symbol.for("pipelex.telemetry.exporterPlugin")]: true,
  name: "future",
  apiVersion: 2,
  parseOptions: (raw) => raw,
  create() { throw new Error("not reached"); },
  toDestination() { throw new Error("not reached"); },
};
`;

export const NOT_A_PLUGIN_MODULE = `export default { hello: "world" };\n`;

/** Same sections, keys and off values as the Python implementation's `init` output. */
export const PYTHON_STYLE_TEMPLATE = `# Custom Telemetry Configuration
[custom_posthog]
mode = "off" # Values: "off" | "anonymous" | "identified"
# user_id = "your_user_id"
endpoint = "\${POSTHOG_ENDPOINT}"
api_key = "\${POSTHOG_API_KEY}"
geoip = true
debug = false
redact_properties = [
  "prompt",
  "system_prompt",
  "response",
  "file_path",
  "url",
]

[custom_posthog.tracing]
enabled = false

[custom_posthog.tracing.capture]
content = false
# content_max_length = 1000
pipe_codes = false
output_class_names = false

[custom_portkey]
force_debug_enabled = false
force_tracing_enabled = false

[langfuse]
enabled = false
# endpoint = "https://cloud.langfuse.com"
# public_key = "\${LANGFUSE_PUBLIC_KEY}"
# secret_key = "\${LANGFUSE_SECRET_KEY}"

# [[otlp]]
# name = "my-collector"
# endpoint = "https://..."
# headers = { Authorization = "Bearer \${OTLP_AUTH_TOKEN}" }

# [telemetry_allowed_modes]
# ci = false
# cli = true
# pytest = false
# python = false
`;
