import { nextSeq } from "./sequence.js";

/**
 * What the plugin may leave behind: live handles (`process.getActiveResourcesInfo()`), open
 * files (`/proc/self/fd` on Linux) and, via async_hooks, every timer, socket or file operation
 * it starts in a window where it should be quiet.
 */

/** Stdio and transient fs requests are not the plugin's: stdout may be a terminal, a pipe or a file. */
const NOT_THE_PLUGINS = new Set(["TTYWrap", "PipeWrap", "FSReqCallback"]);

/** Live resources keeping the process alive (timers, sockets, servers), stdio excluded. */
export function activeHandles(): string[] {
  const info = (
    globalThis as { process?: { getActiveResourcesInfo?: () => string[] } }
  ).process?.getActiveResourcesInfo?.();
  return info ? info.filter((r) => !NOT_THE_PLUGINS.has(r)) : [];
}

/** Regular files this process holds open (Linux; `undefined` where /proc is not available). */
export async function openFiles(): Promise<Set<string> | undefined> {
  const fs = await import("node:fs");
  const files = new Set<string>();
  let fds: string[];
  try {
    fds = fs.readdirSync("/proc/self/fd");
  } catch {
    return undefined;
  }
  for (const fd of fds) {
    let target: string;
    try {
      target = fs.readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue; // the directory's own descriptor, closed by now
    }
    if (target.startsWith("/") && !target.startsWith("/dev/") && !target.startsWith("/proc/")) {
      files.add(`${fd}:${target}`);
    }
  }
  return files;
}

/** A timer, socket or file operation started by the plugin (or a library it uses). */
export interface Creation {
  readonly seq: number;
  readonly type: string;
  /** The innermost frame outside Node and the kit, e.g. `file:///app/plugin.js:12:5`. */
  readonly where: string;
}

/**
 * async_hooks resource types that are a timer, a socket, a file or a process. Not PIPEWRAP or
 * TTYWRAP: those are stdio (a first touch of `process.stderr` when it is a pipe), never the plugin's.
 */
const WATCHED_TYPES = new Set([
  "Timeout",
  "Immediate",
  "TCPWRAP",
  "TCPCONNECTWRAP",
  "TLSWRAP",
  "PIPECONNECTWRAP",
  "UDPWRAP",
  "UDPSENDWRAP",
  "GETADDRINFOREQWRAP",
  "GETNAMEINFOREQWRAP",
  "QUERYWRAP",
  "HTTPCLIENTREQUEST",
  "FSREQCALLBACK",
  "FSREQPROMISE",
  "FILEHANDLE",
  "FSEVENTWRAP",
  "STATWATCHER",
  "PROCESSWRAP",
  "SIGNALWRAP",
  "WORKER",
]);

/** Test runners' own frames: their timers are not the plugin's. */
const RUNNER_FRAME =
  /[\\/]node_modules[\\/](?:vitest|@vitest|tinypool|vite-node|tinyspy|jest[^\\/]*|@jest|mocha)[\\/]/;

/** The kit's wrappers around fetch, http, sockets and the console (network-tap.ts, output-tap.ts). */
const TAP_FRAME = /^at (?:\S+\.)?tapped[A-Z]\w*/;

export interface CreationWatcher {
  since(mark: number): Creation[];
  /** Runs `fn` (the kit's own timers) without recording what it creates. */
  unwatched<T>(fn: () => T): T;
  stop(): void;
}

/**
 * Records the creation of watched resources whose innermost non-Node frame is neither a test
 * runner's nor the kit's (`unwatched`). Resources created from Node-internal frames only (an
 * accepted server socket, a socket closing) have no author to blame and are left to the
 * active-handle and open-file checks.
 */
export async function watchCreations(): Promise<CreationWatcher> {
  const asyncHooks = await import("node:async_hooks");
  const createHook = (asyncHooks.default ?? asyncHooks).createHook;
  const created: Creation[] = [];
  let paused = 0;
  const hook = createHook({
    init(_id: number, type: string) {
      if (paused > 0 || !WATCHED_TYPES.has(type)) return;
      const where = authorFrame();
      if (where) created.push({ seq: nextSeq(), type, where });
    },
  });
  hook.enable();
  return {
    since: (mark) => created.filter((c) => c.seq > mark),
    unwatched(fn) {
      paused++;
      try {
        return fn();
      } finally {
        paused--;
      }
    },
    stop: () => hook.disable(),
  };
}

/** Where the kit's own code lives: this folder (sources) or the bundled `testing` entry (dist). */
const KIT_LOCATION = kitLocation();

function kitLocation(): string {
  const file = fileOfFrame((new Error().stack ?? "").split("\n")[1] ?? "") ?? "";
  const folder = file.replace(/[\\/][^\\/]*$/, "");
  return /[\\/]testing[\\/]conformance$/.test(folder) ? folder : file;
}

function fileOfFrame(frame: string): string | undefined {
  return /\(?((?:file:\/\/)?[^()\s]+?):\d+:\d+\)?$/.exec(frame.trim())?.[1];
}

function authorFrame(): string | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  const stack = new Error().stack ?? "";
  Error.stackTraceLimit = limit;
  const lines = stack.split("\n").slice(1);
  // The top frames are this hook's own (authorFrame, init): skip them, not the kit's code below.
  let first = 0;
  while (first < lines.length && fileOfFrame(lines[first]!)?.startsWith(KIT_LOCATION)) first++;
  for (const line of lines.slice(first)) {
    const frame = line.trim();
    const file = fileOfFrame(frame);
    // The kit's taps are transparent: what happens inside a tapped fetch is the caller's doing.
    if (!file || file.startsWith("node:") || TAP_FRAME.test(frame)) continue;
    // The innermost frame of code decides: the kit's own or a test runner's is nobody's fault.
    if (file.startsWith(KIT_LOCATION) || RUNNER_FRAME.test(file)) return undefined;
    return frame.replace(/^at\s+/, "");
  }
  return undefined;
}
