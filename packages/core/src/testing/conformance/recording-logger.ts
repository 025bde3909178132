import { type LogLevel, MaskingLogger, type TelemetryLogger } from "../../plugin/logger.js";
import { nextSeq } from "./sequence.js";

export interface LoggedLine {
  readonly seq: number;
  readonly level: "debug" | "info" | "warn" | "error";
  /** The message as the plugin passed it, before the logger masked anything. */
  readonly raw: string;
}

/**
 * The context logger the kit hands the plugin: a real MaskingLogger (so the plugin behaves as
 * under core) that also keeps each message as the plugin wrote it. Masking is a safety net, not
 * a licence: a secret handed to the logger is a failure even when the line printed is masked.
 */
export class RecordingLogger extends MaskingLogger {
  constructor(
    private readonly lines: LoggedLine[],
    private readonly out: TelemetryLogger,
    private readonly minLevel: LogLevel = "debug",
    scope?: string,
    private readonly registered: string[] = [],
  ) {
    super(out, minLevel, scope);
  }

  override addSecrets(...values: (string | undefined)[]): this {
    for (const value of values) if (value && !this.registered.includes(value)) this.registered.push(value);
    return super.addSecrets(...values);
  }

  override child(scope: string): MaskingLogger {
    // One list for the logger and its children: a secret registered anywhere counts as declared.
    return new RecordingLogger(this.lines, this.out, this.minLevel, scope, this.registered).addSecrets(
      ...this.registered,
    );
  }

  private keep(level: LoggedLine["level"], message: unknown): void {
    this.lines.push({ seq: nextSeq(), level, raw: typeof message === "string" ? message : String(message) });
  }

  override debug(message: string): void {
    this.keep("debug", message);
    super.debug(message);
  }
  override info(message: string): void {
    this.keep("info", message);
    super.info(message);
  }
  override warn(message: string): void {
    this.keep("warn", message);
    super.warn(message);
  }
  override error(message: string): void {
    this.keep("error", message);
    super.error(message);
  }
}
