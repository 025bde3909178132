import { joinKeyPath, type ParseContext, TelemetryConfigError } from "@pipelex/telemetry-core/plugin";

export interface JsonLinesOptions {
  /** File the spans are appended to, one JSON object per line. */
  path: string;
}

/** Hand-written validation: a plugin does not need zod, only to throw TelemetryConfigError. */
export function parseJsonLinesOptions(raw: unknown, ctx: ParseContext): JsonLinesOptions {
  const source = { file: ctx.file, keyPath: ctx.keyPath };
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new TelemetryConfigError("options must be a table", { ...source, expected: '{ path = "..." }' });
  }
  const { path, ...unknown } = raw as Record<string, unknown>;
  const extra = Object.keys(unknown);
  if (extra.length > 0) {
    throw new TelemetryConfigError("unknown key", {
      ...source,
      keyPath: joinKeyPath(ctx.keyPath, extra[0]!),
    });
  }
  if (typeof path !== "string" || path === "") {
    throw new TelemetryConfigError("path is required", {
      ...source,
      keyPath: joinKeyPath(ctx.keyPath, "path"),
      expected: "a file path string",
    });
  }
  return { path };
}
