import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type Message } from "esbuild";

/** What lands in a bundle that must run on an edge runtime or in a browser, and what must not. */
export interface EdgeBundle {
  code: string;
  /** Source files in the bundle, relative to the bundling directory. */
  inputs: string[];
  /** Node built-ins and Node-only OpenTelemetry modules found in it: must be empty. */
  nodeOnly: string[];
  gzipBytes: number;
}

// Node-only modules of the OpenTelemetry packages: the resource detectors that read the host,
// OS, process and machine id, and @opentelemetry/core's Node platform (performance hooks, env).
const NODE_ONLY_OTEL =
  /@opentelemetry[\\/][^\\/]+[\\/]build[\\/][^\\/]+[\\/](?:.*[\\/])?platform[\\/]node[\\/]/;
const NODE_BUILTIN_IMPORT =
  /(?:\bfrom\s*|\brequire\(\s*|\bimport\(\s*)["'](?:node:[\w/]+|fs|path|os|http|https|crypto|async_hooks|child_process|zlib|stream|url|util|net|tls|perf_hooks)["']/g;

/**
 * Bundles `entry` as wrangler and browser bundlers do (esbuild, `worker` + `browser` conditions,
 * the `browser` field honoured), minified, and lists anything Node-only that landed in it:
 * a Node built-in esbuild could not resolve, a static import of one left in the code, or a
 * Node-only OpenTelemetry module (the detectors, core's Node platform).
 */
export async function bundleForEdge(entry: URL): Promise<EdgeBundle> {
  const nodeOnly: string[] = [];
  const result = await build({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["worker", "browser"],
    minify: true,
    write: false,
    metafile: true,
    logLevel: "silent",
  }).catch((error: { errors?: Message[] }) => {
    const unresolved = (error.errors ?? []).map((e) => `${e.text} (in ${e.location?.file ?? "?"})`);
    if (unresolved.length === 0) throw error;
    return { unresolved };
  });
  if ("unresolved" in result) {
    return { code: "", inputs: [], nodeOnly: result.unresolved, gzipBytes: 0 };
  }
  const code = result.outputFiles[0]?.text ?? "";
  const inputs = Object.keys(result.metafile.inputs);
  nodeOnly.push(...inputs.filter((file) => NODE_ONLY_OTEL.test(file)));
  nodeOnly.push(...(code.match(NODE_BUILTIN_IMPORT) ?? []));
  return { code, inputs, nodeOnly, gzipBytes: gzipSync(code).length };
}
