/**
 * Imports the plugin module in a fresh Node process and reports what the import itself did:
 * anything printed, any timer, socket or file opened (async_hooks, active handles, open files)
 * and any request started. A child process is the honest way: in the test's own process the
 * module is already imported, and the runner's own timers and files would blur the picture.
 */

export interface ImportEffects {
  /** The default export's plugin name, or undefined when it is not a defineExporter(...) result. */
  readonly pluginName?: string;
  /** `Timeout at file:///…/plugin.js:3:1`, `open file /tmp/x`, `request to 127.0.0.1:9`, ... */
  readonly opened: readonly string[];
  readonly printed: string;
  /** Set when the import itself failed (with the error's first line). */
  readonly importError?: string;
}

/** Runs in the child: `node --input-type=module -e PROBE <specifier>`; the report goes to fd 3. */
const PROBE = String.raw`
import { createHook } from "node:async_hooks";
import { readdirSync, readlinkSync, writeSync } from "node:fs";
import net from "node:net";
import { syncBuiltinESMExports } from "node:module";
const specifier = process.argv[1];
const NOT_THE_PLUGINS = new Set(["TTYWrap", "PipeWrap", "FSReqCallback"]);
const handles = () => process.getActiveResourcesInfo().filter((r) => !NOT_THE_PLUGINS.has(r));
const files = () => {
  const out = new Set();
  try {
    for (const fd of readdirSync("/proc/self/fd")) {
      try {
        const target = readlinkSync("/proc/self/fd/" + fd);
        if (target.startsWith("/") && !target.startsWith("/dev/") && !target.startsWith("/proc/")) out.add(target);
      } catch {}
    }
  } catch {}
  return out;
};
const WATCHED = new Set(["Timeout","Immediate","TCPWRAP","TCPCONNECTWRAP","TLSWRAP","PIPECONNECTWRAP","UDPWRAP","GETADDRINFOREQWRAP","QUERYWRAP","HTTPCLIENTREQUEST","FSREQCALLBACK","FSREQPROMISE","FILEHANDLE","FSEVENTWRAP","STATWATCHER","PROCESSWRAP","SIGNALWRAP","WORKER"]);
const opened = [];
const frameOf = () => {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  const lines = (new Error().stack || "").split("\n").slice(1).map((l) => l.trim());
  Error.stackTraceLimit = limit;
  // Stacks of Node internals only (the module loader reading files, a socket connecting) have
  // no author; what they leave open is caught by the handle, file and connect checks below.
  const own = lines.find((l) => !l.includes("node:") && !l.includes("[eval") && /:\d+:\d+\)?$/.test(l));
  return own ? own.replace(/^at\s+/, "") : undefined;
};
const baseHandles = handles();
const baseFiles = files();
const hook = createHook({
  init(_id, type) {
    if (!WATCHED.has(type)) return;
    const where = frameOf();
    if (where) opened.push(type + " at " + where);
  },
});
const realConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  opened.push("socket to " + (typeof first === "object" && first ? (first.path || (first.host || "localhost") + ":" + first.port) : String(first)));
  return realConnect.apply(this, args);
};
const realFetch = globalThis.fetch;
globalThis.fetch = function (input, init) {
  try { opened.push("fetch to " + new URL(String(input instanceof Request ? input.url : input)).host); } catch { opened.push("fetch"); }
  return realFetch.call(this, input, init);
};
syncBuiltinESMExports();
let pluginName;
let importError;
hook.enable();
try {
  const mod = await import(specifier);
  const brand = Symbol.for("pipelex.telemetry.exporterPlugin");
  const candidates = [mod, mod.default, mod.default && mod.default.default];
  const plugin = candidates.find((c) => c && c[brand] === true);
  pluginName = plugin ? plugin.name : undefined;
} catch (error) {
  importError = String(error && error.stack || error).split("\n")[0];
}
hook.disable();
// Let whatever the import scheduled happen (a timer, a socket connecting, a file opening).
await new Promise((resolve) => setTimeout(resolve, Number(process.argv[2] || 200)));
const extraHandles = handles();
for (const h of baseHandles) { const i = extraHandles.indexOf(h); if (i >= 0) extraHandles.splice(i, 1); }
for (const h of extraHandles) opened.push(h + " still open");
for (const f of files()) if (!baseFiles.has(f)) opened.push("open file " + f);
writeSync(3, JSON.stringify({ pluginName, opened: [...new Set(opened)], importError }));
process.exit(0);
`;

/** The specifier a child process can import: file URLs and absolute paths as URLs, bare names as given. */
export function importSpecifier(from: string | URL): string {
  if (from instanceof URL) return from.href;
  if (from.startsWith("file:") || /^[a-z]+:\/\//i.test(from)) return from;
  if (from.startsWith("/") || /^[A-Za-z]:[\\/]/.test(from))
    return new URL(`file://${from.startsWith("/") ? "" : "/"}${from.replace(/\\/g, "/")}`).href;
  return from;
}

export async function probeImport(
  from: string | URL,
  settleMs: number,
  timeoutMs: number,
): Promise<ImportEffects> {
  const { spawn } = await import("node:child_process");
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["--input-type=module", "-e", PROBE, importSpecifier(from), String(settleMs)],
      {
        cwd: process.cwd(),
        // A clean environment for the probe: no NODE_OPTIONS loaders, no DO_NOT_TRACK.
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
        stdio: ["ignore", "pipe", "pipe", "pipe"],
      },
    );
    let printed = "";
    let report = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      printed += chunk.toString("utf8");
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      printed += chunk.toString("utf8");
    });
    (child.stdio[3] as NodeJS.ReadableStream | null)?.on("data", (chunk: Buffer) => {
      report += chunk.toString("utf8");
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", () => {
      clearTimeout(timer);
      try {
        const parsed = JSON.parse(report) as Omit<ImportEffects, "printed">;
        resolve({ ...parsed, printed });
      } catch {
        resolve({
          opened: [],
          printed,
          importError:
            report === ""
              ? `the import probe did not finish within ${timeoutMs} ms`
              : "unreadable probe report",
        });
      }
    });
  });
}
