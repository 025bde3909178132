import { logger as LangfuseLoggerSingleton, LogLevel } from "@langfuse/core";
import type { TelemetryLogger } from "@pipelex/telemetry-core/plugin";

/** What the SDK calls on its logger (its `Logger` class's public surface). */
type SdkLogger = ReturnType<typeof LangfuseLoggerSingleton.getInstance>;

/** The levels the bridge needs answered: `MaskingLogger` in practice. */
export interface LeveledLogger extends TelemetryLogger {
  isLevelEnabled(level: "debug" | "info" | "warn" | "error"): boolean;
}

const PREFIX = "Langfuse SDK:";

/** Extra arguments: printed whole only in debug output; elsewhere only an error's class name. */
function describeArgs(args: readonly unknown[], full: boolean): string {
  const parts: string[] = [];
  for (const arg of args) {
    if (arg instanceof Error) parts.push(full ? `${arg.name}: ${arg.message}` : arg.name);
    else if (full) parts.push(typeof arg === "string" ? arg : safeJson(arg));
  }
  return parts.length > 0 ? ` ${parts.join(" ")}` : "";
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(typeof value);
  } catch {
    return `[${typeof value}]`;
  }
}

/**
 * A stand-in for the Langfuse SDK's global logger that writes through the telemetry's masking
 * logger at the level the user chose. The SDK's own logger reads `LANGFUSE_DEBUG` /
 * `LANGFUSE_LOG_LEVEL` and, at debug, prints every span's attributes (prompts included) straight
 * to the console; through this bridge such lines appear only when the user's own level is
 * `debug`, secrets masked. Warnings and errors carry the SDK's message and an error's class name,
 * never its arguments (they can hold span data).
 */
export function createSdkLoggerBridge(target: LeveledLogger): SdkLogger {
  const bridge = {
    error: (message: string, ...args: unknown[]) =>
      target.error(`${PREFIX} ${message}${describeArgs(args, false)}`),
    warn: (message: string, ...args: unknown[]) =>
      target.warn(`${PREFIX} ${message}${describeArgs(args, false)}`),
    info: (message: string, ...args: unknown[]) =>
      target.info(`${PREFIX} ${message}${describeArgs(args, false)}`),
    debug: (message: string, ...args: unknown[]) => {
      if (target.isLevelEnabled("debug")) target.debug(`${PREFIX} ${message}${describeArgs(args, true)}`);
    },
    isLevelEnabled: (level: LogLevel) => target.isLevelEnabled(levelName(level)),
    shouldLog: (level: LogLevel) => target.isLevelEnabled(levelName(level)),
    getLevel: () => LEVEL_ORDER.find((level) => target.isLevelEnabled(levelName(level))) ?? LogLevel.NONE,
    // The level is the user's telemetry level: the SDK (or LANGFUSE_*) cannot change it.
    setLevel: () => {},
    formatMessage: (_level: string, message: string) => message,
  };
  return bridge as unknown as SdkLogger;
}

const LEVEL_ORDER = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];

function levelName(level: LogLevel): "debug" | "info" | "warn" | "error" {
  if (level <= LogLevel.DEBUG) return "debug";
  if (level === LogLevel.INFO) return "info";
  if (level === LogLevel.WARN) return "warn";
  return "error";
}

type Singleton = { instance: SdkLogger | null };

/**
 * Runs `build` with the SDK's global logger replaced by `bridge` (the SDK's constructors log
 * through the global one), then puts the host's own global logger back. Synchronous, so no
 * other code ever sees the swap.
 */
export function withSdkLogger<T>(bridge: SdkLogger, build: () => T): T {
  const singleton = LangfuseLoggerSingleton as unknown as Singleton;
  const saved = singleton.instance;
  singleton.instance = bridge;
  try {
    return build();
  } finally {
    singleton.instance = saved;
  }
}

/** Makes `processor.logger` (a getter on the SDK's class that returns the global logger) the bridge. */
export function useSdkLogger(processor: object, bridge: SdkLogger): void {
  Object.defineProperty(processor, "logger", { value: bridge, configurable: true });
}
