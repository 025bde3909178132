import { TelemetryConfigError } from "../errors.js";

/**
 * The Node built-ins the config loader needs, imported lazily: this module is reachable from
 * the package entry, which must also load on edge runtimes where `node:fs` does not exist.
 */
export interface NodeHost {
  readFile(path: string): Promise<string | undefined>;
  realpath(path: string): Promise<string>;
  exists(path: string): Promise<boolean>;
  homedir(): string;
  cwd(): string;
  join(...parts: string[]): string;
  resolve(...parts: string[]): string;
  dirname(path: string): string;
  /** The path separator (`/`, or `\\` on Windows). */
  readonly sep: string;
  toFileUrl(path: string): string;
}

let hostPromise: Promise<NodeHost> | undefined;

export function loadNodeHost(): Promise<NodeHost> {
  hostPromise ??= importNodeHost().catch((error: unknown) => {
    hostPromise = undefined;
    throw new TelemetryConfigError(
      "loadTelemetry reads telemetry.toml from the file system, which this runtime does not provide; use createTelemetry() with explicit destinations here",
      {},
      { cause: error },
    );
  });
  return hostPromise;
}

/**
 * A computed specifier: bundlers for browsers and workers (esbuild, webpack, Vite) then leave the
 * import alone instead of failing to resolve a Node built-in the app never reaches there.
 */
function importBuiltin<T>(specifier: string): Promise<T> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier) as Promise<T>;
}

async function importNodeHost(): Promise<NodeHost> {
  const [fs, path, os, url] = await Promise.all([
    importBuiltin<typeof import("node:fs/promises")>("node:fs/promises"),
    importBuiltin<typeof import("node:path")>("node:path"),
    importBuiltin<typeof import("node:os")>("node:os"),
    importBuiltin<typeof import("node:url")>("node:url"),
  ]);
  return {
    async readFile(file) {
      try {
        return await fs.readFile(file, "utf8");
      } catch (error) {
        // A missing layer is normal (most users have no override files).
        if (isErrnoCode(error, "ENOENT") || isErrnoCode(error, "ENOTDIR")) return undefined;
        throw new TelemetryConfigError(
          "cannot be read",
          { file, expected: "a readable TOML file" },
          { cause: error },
        );
      }
    },
    async realpath(file) {
      try {
        return await fs.realpath(file);
      } catch {
        return path.resolve(file);
      }
    },
    async exists(file) {
      try {
        await fs.access(file);
        return true;
      } catch {
        return false;
      }
    },
    homedir: () => os.homedir(),
    cwd: () => process.cwd(),
    join: (...parts) => path.join(...parts),
    resolve: (...parts) => path.resolve(...parts),
    dirname: (file) => path.dirname(file),
    sep: path.sep,
    toFileUrl: (file) => url.pathToFileURL(file).href,
  };
}

function isErrnoCode(error: unknown, code: string): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === code;
}
