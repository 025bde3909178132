import {
  joinKeyPath,
  type ParseContext,
  requireSecret,
  TelemetryConfigError,
  validateEndpoint,
} from "@pipelex/telemetry-core/plugin";

/** The plugin's options: camelCase, whether they come from app code or from telemetry.toml. */
export interface WebhookOptions {
  /** Where each batch is POSTed as JSON. https, or http on a loopback host. */
  endpoint: string;
  /** Sent as `Authorization: Bearer <token>`. A secret: masked in logs and `status`. */
  authToken: string;
  /** Send prompts, completions and error text too. Default false: content is dropped. */
  includeContent?: boolean;
  /** Bound for one request, in ms. Default 10000. */
  timeoutMs?: number;
}

export interface ParsedWebhookOptions extends Required<WebhookOptions> {}

const KEYS = ["endpoint", "authToken", "includeContent", "timeoutMs"];

/**
 * Hand-written validation: a plugin needs no schema library, only to throw TelemetryConfigError
 * with key paths under `ctx.keyPath`. Core turns `authToken` into `auth_token` when the options
 * came from telemetry.toml. Every problem is reported, not only the first; no value is ever quoted.
 */
export function parseWebhookOptions(raw: unknown, ctx: ParseContext): ParsedWebhookOptions {
  const at = (key: string) => joinKeyPath(ctx.keyPath, key);
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new TelemetryConfigError("must be a table", {
      file: ctx.file,
      keyPath: ctx.keyPath,
      expected: "options = { ... }",
    });
  }
  const options = raw as Record<string, unknown>;
  const problems: TelemetryConfigError[] = [];
  const check = (fn: () => void) => {
    try {
      fn();
    } catch (error) {
      if (!(error instanceof TelemetryConfigError)) throw error;
      problems.push(error);
    }
  };
  for (const key of Object.keys(options).filter((k) => !KEYS.includes(k))) {
    check(() => {
      throw new TelemetryConfigError("unknown key", {
        file: ctx.file,
        keyPath: at(key),
        expected: `one of ${KEYS.join(", ")}`,
      });
    });
  }
  const { endpoint, authToken, includeContent = false, timeoutMs = 10_000 } = options;
  check(() => {
    if (typeof endpoint !== "string") {
      throw new TelemetryConfigError("is required", {
        file: ctx.file,
        keyPath: at("endpoint"),
        expected: "a URL",
      });
    }
    validateEndpoint(endpoint, { file: ctx.file, keyPath: at("endpoint") });
  });
  check(() => {
    if (authToken !== undefined && typeof authToken !== "string") {
      throw new TelemetryConfigError("must be a string", { file: ctx.file, keyPath: at("authToken") });
    }
    requireSecret(authToken as string | undefined, { file: ctx.file, keyPath: at("authToken") });
  });
  check(() => {
    if (typeof includeContent !== "boolean") {
      throw new TelemetryConfigError("must be true or false", {
        file: ctx.file,
        keyPath: at("includeContent"),
      });
    }
  });
  check(() => {
    if (typeof timeoutMs !== "number" || !Number.isInteger(timeoutMs) || timeoutMs <= 0) {
      throw new TelemetryConfigError("must be a positive whole number of milliseconds", {
        file: ctx.file,
        keyPath: at("timeoutMs"),
      });
    }
  });
  if (problems.length > 0) throw TelemetryConfigError.fromProblems(problems.flatMap((p) => p.problems));
  return {
    endpoint: endpoint as string,
    authToken: authToken as string,
    includeContent: includeContent as boolean,
    timeoutMs: timeoutMs as number,
  };
}
