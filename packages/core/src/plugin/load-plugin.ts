import type { NodeHost } from "../config/node-host.js";
import { PluginApiVersionError, PluginInvalidError, PluginNotFoundError } from "../errors.js";
import type { EnvSource } from "../kill-switch/do-not-track.js";
import { type ExporterPlugin, isExporterPlugin, SUPPORTED_PLUGIN_API_VERSIONS } from "./define-exporter.js";
import { detectPackageManager, installCommand } from "./package-manager.js";

/**
 * Imports an exporter plugin by package name, resolved from the app's folder (`cwd`), not from
 * core's: a plugin is a dependency of the app, and core may be installed elsewhere (pnpm's
 * store, a global CLI). Called only for sections the config turns on, never under DO_NOT_TRACK.
 */
export async function loadExporterPlugin(
  host: NodeHost,
  packageName: string,
  cwd: string,
  env?: EnvSource,
): Promise<ExporterPlugin> {
  const entry = await resolvePackageEntry(host, packageName, cwd, env);
  let module: unknown;
  try {
    module = await import(/* @vite-ignore */ host.toFileUrl(entry));
  } catch (error) {
    // defineExporter refuses another API version while the module is being imported.
    if (error instanceof Error && error.name === "PluginApiVersionError") {
      throw new PluginApiVersionError(
        packageName,
        (error as { pluginApiVersion?: unknown }).pluginApiVersion,
        SUPPORTED_PLUGIN_API_VERSIONS,
      );
    }
    throw new PluginInvalidError(packageName, `importing it failed: ${errorMessage(error)}`);
  }
  return checkPlugin(packageName, module);
}

/** The default export must be a `defineExporter(...)` result of a supported API version. */
export function checkPlugin(packageName: string, module: unknown): ExporterPlugin {
  let candidate = (module as { default?: unknown } | null)?.default;
  // A CommonJS plugin compiled from `export default` arrives as `{ default: { default: plugin } }`.
  if (!isExporterPlugin(candidate) && isRecord(candidate) && isExporterPlugin(candidate.default)) {
    candidate = candidate.default;
  }
  if (isRecord(candidate) && "apiVersion" in candidate) {
    const version = candidate.apiVersion;
    if (typeof version !== "number" || !SUPPORTED_PLUGIN_API_VERSIONS.includes(version)) {
      throw new PluginApiVersionError(packageName, version, SUPPORTED_PLUGIN_API_VERSIONS);
    }
  }
  if (!isExporterPlugin(candidate)) {
    throw new PluginInvalidError(
      packageName,
      candidate === undefined
        ? "it has no default export; default-export the result of defineExporter() from @pipelex/telemetry-core/plugin"
        : "its default export is not the result of defineExporter() from @pipelex/telemetry-core/plugin",
    );
  }
  if (typeof candidate.toDestination !== "function") {
    throw new PluginInvalidError(packageName, "its default export has no toDestination()");
  }
  return candidate;
}

/**
 * Node's lookup, from `cwd` upwards through `node_modules`, then the package's ESM entry:
 * `exports` with the `node`/`import`/`default` conditions, else `main`, else `index.js`.
 * `require.resolve` is not enough: it skips ESM-only packages (no `require` condition).
 */
export async function resolvePackageEntry(
  host: NodeHost,
  packageName: string,
  cwd: string,
  env?: EnvSource,
): Promise<string> {
  const packageDir = await findPackageDir(host, packageName, cwd);
  if (packageDir === undefined) {
    const manager = await detectPackageManager(host, cwd, env);
    throw new PluginNotFoundError(packageName, cwd, { installCommand: installCommand(manager, packageName) });
  }
  const manifestPath = host.join(packageDir, "package.json");
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse((await host.readFile(manifestPath)) ?? "{}") as Record<string, unknown>;
  } catch {
    throw new PluginInvalidError(packageName, `its package.json (${manifestPath}) is not valid JSON`);
  }
  const relative = entryFromManifest(manifest);
  if (relative === undefined) {
    throw new PluginInvalidError(
      packageName,
      'its package.json "exports" has no "import" or "default" entry for "."',
    );
  }
  const entry = host.join(packageDir, relative);
  if (!(await host.exists(entry))) {
    throw new PluginInvalidError(
      packageName,
      `its entry file ${entry} does not exist (is the package built?)`,
    );
  }
  return entry;
}

async function findPackageDir(host: NodeHost, packageName: string, cwd: string): Promise<string | undefined> {
  let dir = host.resolve(cwd);
  for (;;) {
    const candidate = host.join(dir, "node_modules", packageName);
    if (await host.exists(host.join(candidate, "package.json"))) return candidate;
    const parent = host.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

const CONDITIONS = new Set(["node", "import", "default"]);

export function entryFromManifest(manifest: Record<string, unknown>): string | undefined {
  const exportsField = manifest.exports;
  if (exportsField !== undefined && exportsField !== null) {
    const root =
      isRecord(exportsField) && Object.keys(exportsField).some((k) => k.startsWith("."))
        ? exportsField["."]
        : exportsField;
    return resolveTarget(root);
  }
  if (typeof manifest.main === "string" && manifest.main !== "") return manifest.main;
  return "index.js";
}

function resolveTarget(target: unknown): string | undefined {
  if (typeof target === "string") return target;
  if (Array.isArray(target)) {
    for (const item of target) {
      const resolved = resolveTarget(item);
      if (resolved !== undefined) return resolved;
    }
    return undefined;
  }
  if (isRecord(target)) {
    // Condition order is the package author's, as in Node: the first matching key wins.
    for (const [condition, value] of Object.entries(target)) {
      if (!CONDITIONS.has(condition)) continue;
      const resolved = resolveTarget(value);
      if (resolved !== undefined) return resolved;
    }
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
