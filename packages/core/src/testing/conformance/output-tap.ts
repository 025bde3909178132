import { nextSeq } from "./sequence.js";

/** One thing written to the console, stdout or stderr, as it was written (before any masking). */
export interface PrintedText {
  readonly seq: number;
  /** `console.warn`, `process.stdout`, `fs.writeSync(2)`, ... */
  readonly channel: string;
  readonly text: string;
}

export interface OutputTap {
  readonly printed: readonly PrintedText[];
  since(mark: number): PrintedText[];
  restore(): void;
}

const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug", "trace", "dir", "table"] as const;

/**
 * Records everything printed while the kit runs, through `console`, `process.stdout`/`stderr`
 * (whether a terminal, a pipe or a file), `fs.write(Sync)` on fd 1 and 2 and `process.emitWarning`.
 * The text still reaches the terminal, but through `mask`: a plugin that prints a secret fails
 * the kit without the secret landing in the CI log.
 */
export async function installOutputTap(mask: (text: string) => string): Promise<OutputTap> {
  const [utilModule, fsModule, moduleModule] = await Promise.all([
    import("node:util"),
    import("node:fs"),
    import("node:module"),
  ]);
  const format = (utilModule.default ?? utilModule).format;
  const fs = (fsModule.default ?? fsModule) as unknown as Record<string, unknown>;
  const syncBuiltinESMExports = (moduleModule.default ?? moduleModule).syncBuiltinESMExports;

  const printed: PrintedText[] = [];
  const restorers: (() => void)[] = [];
  const record = (channel: string, text: string) => printed.push({ seq: nextSeq(), channel, text });
  const replace = <T extends object>(
    target: T,
    key: keyof T & string,
    wrap: (original: never) => unknown,
  ) => {
    const had = Object.hasOwn(target, key);
    const original = target[key];
    if (typeof original !== "function") return;
    (target as Record<string, unknown>)[key] = wrap(original as never);
    restorers.push(() => {
      if (had) (target as Record<string, unknown>)[key] = original;
      else delete (target as Record<string, unknown>)[key];
    });
  };

  // Touch the streams first: a pipe's handle is created on first access, and that is not the plugin's.
  for (const stream of [process.stdout, process.stderr]) {
    const channel = stream === process.stdout ? "process.stdout" : "process.stderr";
    replace(
      stream,
      "write",
      (original: (...a: unknown[]) => boolean) =>
        function tappedWrite(this: unknown, chunk: unknown, ...rest: unknown[]) {
          const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
          record(channel, text);
          return original.call(this, mask(text), ...rest);
        },
    );
  }
  for (const method of CONSOLE_METHODS) {
    replace(
      console,
      method,
      (original: (...a: unknown[]) => void) =>
        function tappedConsole(this: unknown, ...args: unknown[]) {
          const text = format(...args);
          record(`console.${method}`, text);
          original.call(this, mask(text));
        },
    );
  }
  for (const key of ["writeSync", "write"] as const) {
    replace(
      fs,
      key,
      (original: (...a: unknown[]) => unknown) =>
        function tappedFsWrite(this: unknown, fd: unknown, data: unknown, ...rest: unknown[]) {
          if ((fd === 1 || fd === 2) && (typeof data === "string" || data instanceof Uint8Array)) {
            const text = typeof data === "string" ? data : Buffer.from(data).toString("utf8");
            record(`fs.${key}(${fd})`, text);
            return original.call(
              this,
              fd,
              typeof data === "string" ? mask(text) : Buffer.from(mask(text)),
              ...rest,
            );
          }
          return original.call(this, fd, data, ...rest);
        },
    );
  }
  syncBuiltinESMExports();
  replace(
    process,
    "emitWarning",
    (original: (...a: unknown[]) => void) =>
      function tappedWarning(this: unknown, warning: unknown, ...rest: unknown[]) {
        const text = warning instanceof Error ? `${warning.name}: ${warning.message}` : String(warning);
        record("process.emitWarning", text);
        original.call(this, mask(text), ...rest);
      },
  );
  replace(
    process as unknown as { _rawDebug: (...a: unknown[]) => void },
    "_rawDebug",
    (original: (...a: unknown[]) => void) =>
      function tappedRawDebug(this: unknown, ...args: unknown[]) {
        const text = format(...args);
        record("process._rawDebug", text);
        original.call(this, mask(text));
      },
  );

  return {
    printed,
    since: (mark) => printed.filter((p) => p.seq > mark),
    restore() {
      for (const restore of restorers.reverse()) restore();
      restorers.length = 0;
      syncBuiltinESMExports();
    },
  };
}
