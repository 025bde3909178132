import type { ConfigProblem } from "../errors.js";
import type { NodeHost } from "./node-host.js";
import { ConfigProblems } from "./problems.js";
import { findProjectRoot } from "./project-root.js";
import { isPlainTable } from "./substitute.js";
import { parseTomlLayer } from "./toml.js";

export type LayerName = "home" | "home override" | "project" | "project override";

export interface ConfigLayer {
  readonly layer: LayerName;
  readonly path: string;
  /** False when the file does not exist (or was not read). */
  readonly loaded: boolean;
  /** True for the project layers when no project folder was found below the home folder. */
  readonly skipped?: boolean;
  /** Why a layer was skipped, for `status`. */
  readonly skipReason?: string;
}

/** The merged document and, for each key path, the file that last set it (for error messages). */
export interface MergedConfig {
  readonly document: Record<string, unknown>;
  readonly layers: readonly ConfigLayer[];
  /** Dotted key path (as in the file) -> file path. */
  readonly origins: ReadonlyMap<string, string>;
  /** The project root found from `cwd`, if any (see findProjectRoot). */
  readonly projectDir: string | undefined;
  /** Syntax errors, one per file that has one: every file is read before anything is reported. */
  readonly problems: readonly ConfigProblem[];
}

export const CONFIG_DIR = ".pipelex";
export const CONFIG_FILE = "telemetry.toml";
export const OVERRIDE_FILE = "telemetry_override.toml";

/**
 * Reads the four layers, later wins: home, home override, project, project override. The
 * project folder is found by walking up from `cwd` as the Python loader does, never reaching
 * the home folder (so its layers are never read twice). Tables are deep-merged; any other
 * value, arrays included (`[[otlp]]`), is replaced whole by a later layer, so a project can
 * replace the list of collectors. A file with a syntax error contributes nothing; its error is
 * in `problems`.
 */
export async function readConfigLayers(host: NodeHost, cwd: string, homeDir: string): Promise<MergedConfig> {
  const homeConfig = host.join(homeDir, CONFIG_DIR);
  const projectDir = await findProjectRoot(host, cwd, homeDir);
  const projectConfig = host.join(projectDir ?? cwd, CONFIG_DIR);
  const skipReason =
    projectDir === undefined ? "no project folder found from the working directory" : undefined;
  const candidates: { layer: LayerName; path: string }[] = [
    { layer: "home", path: host.join(homeConfig, CONFIG_FILE) },
    { layer: "home override", path: host.join(homeConfig, OVERRIDE_FILE) },
    { layer: "project", path: host.join(projectConfig, CONFIG_FILE) },
    { layer: "project override", path: host.join(projectConfig, OVERRIDE_FILE) },
  ];
  const document: Record<string, unknown> = {};
  const origins = new Map<string, string>();
  const layers: ConfigLayer[] = [];
  const problems = new ConfigProblems();
  for (const candidate of candidates) {
    if (skipReason !== undefined && candidate.layer.startsWith("project")) {
      layers.push({ ...candidate, loaded: false, skipped: true, skipReason });
      continue;
    }
    const text = await host.readFile(candidate.path);
    layers.push({ ...candidate, loaded: text !== undefined });
    if (text === undefined) continue;
    const parsed = problems.attempt(() => parseTomlLayer(text, candidate.path));
    if (parsed) mergeInto(document, parsed, "", candidate.path, origins);
  }
  return { document, layers, origins, projectDir, problems: problems.list };
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
