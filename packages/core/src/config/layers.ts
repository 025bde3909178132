import type { NodeHost } from "./node-host.js";
import { isPlainTable } from "./substitute.js";
import { parseTomlLayer } from "./toml.js";

export type LayerName = "home" | "home override" | "project" | "project override";

export interface ConfigLayer {
  readonly layer: LayerName;
  readonly path: string;
  /** False when the file does not exist. */
  readonly loaded: boolean;
  /** True for the project layers when the project folder is the home folder. */
  readonly skipped?: boolean;
}

/** The merged document and, for each key path, the file that last set it (for error messages). */
export interface MergedConfig {
  readonly document: Record<string, unknown>;
  readonly layers: readonly ConfigLayer[];
  /** Dotted key path (as in the file) -> file path. */
  readonly origins: ReadonlyMap<string, string>;
}

export const CONFIG_DIR = ".pipelex";
export const CONFIG_FILE = "telemetry.toml";
export const OVERRIDE_FILE = "telemetry_override.toml";

/**
 * Reads the four layers, later wins: home, home override, project, project override. The
 * project layers are skipped when the project folder is the home folder (they would be read
 * twice). Tables are deep-merged; any other value, arrays included (`[[otlp]]`), is replaced
 * whole by a later layer, so a project can replace the list of collectors.
 */
export async function readConfigLayers(host: NodeHost, cwd: string, homeDir: string): Promise<MergedConfig> {
  const homeConfig = host.join(homeDir, CONFIG_DIR);
  const projectConfig = host.join(cwd, CONFIG_DIR);
  const sameFolder = (await host.realpath(homeDir)) === (await host.realpath(cwd));
  const candidates: { layer: LayerName; path: string; skipped: boolean }[] = [
    { layer: "home", path: host.join(homeConfig, CONFIG_FILE), skipped: false },
    { layer: "home override", path: host.join(homeConfig, OVERRIDE_FILE), skipped: false },
    { layer: "project", path: host.join(projectConfig, CONFIG_FILE), skipped: sameFolder },
    { layer: "project override", path: host.join(projectConfig, OVERRIDE_FILE), skipped: sameFolder },
  ];
  const document: Record<string, unknown> = {};
  const origins = new Map<string, string>();
  const layers: ConfigLayer[] = [];
  for (const candidate of candidates) {
    if (candidate.skipped) {
      layers.push({ layer: candidate.layer, path: candidate.path, loaded: false, skipped: true });
      continue;
    }
    const text = await host.readFile(candidate.path);
    layers.push({ layer: candidate.layer, path: candidate.path, loaded: text !== undefined });
    if (text === undefined) continue;
    mergeInto(document, parseTomlLayer(text, candidate.path), "", candidate.path, origins);
  }
  return { document, layers, origins };
}

export function mergeInto(
  target: Record<string, unknown>,
  source: Record<string, unknown>,
  prefix: string,
  file: string,
  origins: Map<string, string>,
): void {
  for (const [key, value] of Object.entries(source)) {
    const keyPath = prefix === "" ? key : `${prefix}.${key}`;
    origins.set(keyPath, file);
    const existing = target[key];
    if (isPlainTable(value) && isPlainTable(existing)) {
      mergeInto(existing, value, keyPath, file, origins);
    } else if (isPlainTable(value)) {
      const copy: Record<string, unknown> = {};
      target[key] = copy;
      mergeInto(copy, value, keyPath, file, origins);
    } else {
      target[key] = value;
    }
  }
}

/**
 * The file that set `keyPath` or, failing that, its nearest parent. Array indexes (`otlp[0].x`)
 * are dropped: an array is replaced whole by one layer, so the array's own origin is the answer.
 */
export function originOf(origins: ReadonlyMap<string, string>, keyPath: string): string | undefined {
  const parts = keyPath.replace(/\[\d+\]/g, "").split(".");
  for (let end = parts.length; end > 0; end--) {
    const hit = origins.get(parts.slice(0, end).join("."));
    if (hit !== undefined) return hit;
  }
  return undefined;
}
