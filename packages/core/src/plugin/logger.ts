import { createStringMasker } from "../redaction/mask-patterns.js";

/** Minimal logger interface; compatible with `console` and most structured loggers. */
export interface TelemetryLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** `phc_…a1b2`: enough to recognise a key, never enough to use it. */
export function maskSecret(secret: string): string {
  if (secret.length < 12) return "…";
  const underscore = secret.indexOf("_");
  const dash = secret.lastIndexOf("-", 6);
  const prefixEnd = underscore > 0 && underscore <= 6 ? underscore + 1 : dash > 0 ? dash + 1 : 3;
  return `${secret.slice(0, prefixEnd)}…${secret.slice(-4)}`;
}

const PREFIX = "[pipelex-telemetry]";

/**
 * Wraps a sink so no secret reaches it: every registered secret value, and anything shaped like
 * a key, bearer token or URL credential, is masked before the line is written.
 */
export class MaskingLogger implements TelemetryLogger {
  private readonly secrets: string[] = [];
  private readonly maskShapes = createStringMasker({ emails: false, cardNumbers: false });
  private readonly threshold: number;

  constructor(
    private readonly sink: TelemetryLogger = consoleSink(),
    private readonly level: LogLevel = "warn",
    private readonly scope?: string,
    /** Told every secret registered here or on a child (core scrubs them from span content too). */
    private readonly onSecret?: (value: string) => void,
  ) {
    this.threshold = LEVELS[level];
  }

  /** Whether a line at `level` would be written: lets a bridge skip building debug output. */
  isLevelEnabled(level: Exclude<LogLevel, "silent">): boolean {
    return LEVELS[level] >= this.threshold;
  }

  /** Registers secret values (API keys, auth headers) to be masked in every line. */
  addSecrets(...values: (string | undefined)[]): this {
    for (const value of values) {
      if (value && value.length >= 4 && !this.secrets.includes(value)) {
        this.secrets.push(value);
        this.onSecret?.(value);
      }
    }
    // Longest first, so a secret containing another is masked whole.
    this.secrets.sort((a, b) => b.length - a.length);
    return this;
  }

  child(scope: string): MaskingLogger {
    const child = new MaskingLogger(this.sink, this.level, scope, this.onSecret);
    child.addSecrets(...this.secrets);
    return child;
  }

  mask(message: string): string {
    let result = message;
    for (const secret of this.secrets) result = result.split(secret).join(maskSecret(secret));
    return this.maskShapes(result);
  }

  private write(level: Exclude<LogLevel, "silent">, message: string): void {
    if (LEVELS[level] < this.threshold) return;
    const line = `${PREFIX}${this.scope ? ` ${this.scope}:` : ""} ${this.mask(message)}`;
    try {
      this.sink[level](line);
    } catch {
      // Logging must never throw into the host app.
    }
  }

  debug(message: string): void {
    this.write("debug", message);
  }
  info(message: string): void {
    this.write("info", message);
  }
  warn(message: string): void {
    this.write("warn", message);
  }
  error(message: string): void {
    this.write("error", message);
  }
}

function consoleSink(): TelemetryLogger {
  return {
    debug: (m) => console.debug(m),
    info: (m) => console.info(m),
    warn: (m) => console.warn(m),
    error: (m) => console.error(m),
  };
}

/** Logs at most once per `intervalMs` per key; counts what it suppressed. */
export class RateLimitedWarning {
  private lastAt = Number.NEGATIVE_INFINITY;
  private suppressed = 0;
  constructor(
    private readonly logger: TelemetryLogger,
    private readonly intervalMs = 10_000,
  ) {}

  warn(message: string): void {
    const now = Date.now();
    if (now - this.lastAt < this.intervalMs) {
      this.suppressed++;
      return;
    }
    const extra = this.suppressed > 0 ? ` (${this.suppressed} similar warnings suppressed)` : "";
    this.lastAt = now;
    this.suppressed = 0;
    this.logger.warn(message + extra);
  }
}
