import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createAppProject } from "@pipelex/test-receivers";

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
  const app = await createAppProject();
  return {
    root: app.root,
    home: app.home,
    project: app.project,
    writeHome: app.writeHome,
    writeProject: app.writeProject,
    async addPackage(name, files, manifest = {}) {
      const dir = join(app.project, "node_modules", name);
      await app.write(
        join(dir, "package.json"),
        JSON.stringify({ name, version: "0.0.0", type: "module", main: "index.mjs", ...manifest }),
      );
      for (const [file, text] of Object.entries(files)) await app.write(join(dir, file), text);
      return dir;
    },
    cleanup: app.cleanup,
  };
}

/** The built plugin API; fake plugins import it by absolute URL, as a real plugin imports the package. */
export const CORE_DIST = resolve(import.meta.dirname, "../../dist");
export const CORE_PLUGIN_URL = pathToFileURL(join(CORE_DIST, "plugin.js")).href;
const CORE_INDEX_URL = pathToFileURL(join(CORE_DIST, "index.js")).href;
const ZOD_URL = pathToFileURL(createRequire(import.meta.url).resolve("zod")).href;

/**
 * A zod schema shaped like a first-party section (nested tables, a free-form map, a secret, a
 * rule between keys), for fake plugins: core must handle it without knowing any of it.
 */
const STRICT_SCHEMA = `z.strictObject({
  name: z.string().min(1).optional(),
  enabled: z.boolean().optional(),
  mode: z.enum(["off", "on", "anonymous", "identified"]).default("on"),
  userId: z.string().optional(),
  apiKey: z.string().optional(),
  endpoint: z.string().optional(),
  timeoutMs: z.number().int().positive().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  tracing: z.strictObject({
    enabled: z.boolean().default(true),
    capture: z.strictObject({ content: z.boolean().default(false), contentMaxLength: z.number().int().positive().optional() }).default({ content: false }),
  }).default({ enabled: true, capture: { content: false } }),
})`;

/**
 * A plugin module built with `defineExporter` that records, in a global sink, the options it
 * was created with and the names of the spans it exported. With `strict`, it validates like a
 * first-party plugin: the schema above, an API key required when on, a user id when identified,
 * a valid endpoint, `headers` free-form; `describe` says where it sends and what it redacts.
 */
export function recordingPluginSource(options: {
  sinkKey: string;
  name: string;
  strict?: boolean;
  /** With `strict`: whether an API key is required when on (default true). */
  requireApiKey?: boolean;
  /** Its default redaction drops content and pipe codes (as PostHog's does). */
  redacts?: boolean;
}): string {
  const parse = options.strict
    ? `const o = parseOptionsWith(SCHEMA, raw, ctx);
    if (o.mode !== "off") {
      if (${options.requireApiKey !== false}) requireSecret(o.apiKey, { file: ctx.file, keyPath: joinKeyPath(ctx.keyPath, "apiKey") });
      if (o.endpoint !== undefined) validateEndpoint(o.endpoint, { file: ctx.file, keyPath: joinKeyPath(ctx.keyPath, "endpoint") });
      if (o.mode === "identified" && o.userId === undefined)
        throw new TelemetryConfigError("needs a user id", { file: ctx.file, keyPath: joinKeyPath(ctx.keyPath, "userId"), expected: "a user id" });
    }
    return o;`
    : "return raw;";
  return `import { dropContent, redactPipeCodes } from ${JSON.stringify(CORE_INDEX_URL)};
import { defineExporter, joinKeyPath, parseOptionsWith, requireSecret, TelemetryConfigError, validateEndpoint } from ${JSON.stringify(CORE_PLUGIN_URL)};
import { z } from ${JSON.stringify(ZOD_URL)};
const SCHEMA = ${STRICT_SCHEMA};
const sinks = (globalThis.__pipelexFakeSinks ??= {});
const sink = (sinks[${JSON.stringify(options.sinkKey)}] ??= { created: [], spans: [] });
export default defineExporter({
  name: ${JSON.stringify(options.name)},
  apiVersion: 2,
  freeFormOptions: ["headers"],
  parseOptions(raw, ctx) { ${parse} },
  destinationName(o) { return typeof o.name === "string" ? o.name : ${JSON.stringify(options.name)}; },
  isEnabled(o) { return o.mode !== "off" && o.tracing?.enabled !== false; },
  secrets(o) { return [o.apiKey, ...Object.values(o.headers ?? {})]; },
  defaultRedaction() { return ${options.redacts === true} ? [dropContent(), redactPipeCodes()] : []; },
  describe(o) {
    return {
      sendsTo: o.endpoint ?? "memory",
      receives: ${options.redacts === true} ? "redacted" : "full data",
      redacts: ${options.redacts === true} ? ["content", "pipe codes"] : [],
      offReason: o.mode === "off" ? 'mode = "off"' : "tracing.enabled = false",
      // What the plugin was given, so tests can see core's conversion (never do this with secrets).
      details: { options: JSON.stringify(o) },
    };
  },
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

/**
 * Installs strict fakes for the three first-party packages and a lenient third-party one, so
 * config tests run core's side alone: sections in, plugin errors out.
 */
export async function installFakePlugins(ws: Workspace, sinkKey = ws.root): Promise<void> {
  for (const pkg of ["posthog", "langfuse", "otlp"] as const) {
    await ws.addPackage(`@pipelex/telemetry-exporter-${pkg}`, {
      "index.mjs": recordingPluginSource({
        sinkKey: `${sinkKey}:${pkg}`,
        name: pkg,
        strict: true,
        requireApiKey: pkg !== "otlp",
        redacts: pkg === "posthog",
      }),
    });
  }
  await ws.addPackage("pipelex-telemetry-exporter-example", {
    "index.mjs": recordingPluginSource({ sinkKey: `${sinkKey}:example`, name: "example" }),
  });
}

/** The options a fake plugin was given, as its `describe` reports them. */
export function givenOptions(stream: { description?: { details?: Record<string, unknown> } }): unknown {
  return JSON.parse(String(stream.description?.details?.options));
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

/** Carries the plugin brand but declares an API version this core does not implement. */
export const API_V3_MODULE = `export default {
  [Symbol.for("pipelex.telemetry.exporterPlugin")]: true,
  name: "future",
  apiVersion: 3,
  parseOptions: (raw) => raw,
  create() { throw new Error("not reached"); },
  toDestination() { throw new Error("not reached"); },
};
`;

/** Written for plugin API 1: defineExporter of this core refuses it while the module is imported. */
export const API_V1_MODULE = `import { defineExporter } from ${JSON.stringify(CORE_PLUGIN_URL)};
export default defineExporter({
  name: "legacy",
  apiVersion: 1,
  parseOptions: (raw) => raw,
  create() { throw new Error("not reached"); },
});
`;

export const NOT_A_PLUGIN_MODULE = `export default { hello: "world" };\n`;

/** The Python implementation's `pipelex/kit/configs/telemetry.toml`, unchanged (origin in its README). */
export const PYTHON_TEMPLATE_FILE = resolve(
  import.meta.dirname,
  "../../test/fixtures/python-kit/telemetry.toml",
);

export function pythonTemplate(): Promise<string> {
  return readFile(PYTHON_TEMPLATE_FILE, "utf8");
}
