import { LangfuseCredentialsError, TelemetryConfigError } from "../errors.js";
import type { EnvSource } from "../kill-switch/do-not-track.js";
import type { Redactor } from "../redaction/redactor.js";
import type { ConfigDocument, ConfigSection, ExporterEntry } from "./document.js";
import { validateEndpoint } from "./endpoint.js";
import type { FileOf } from "./keys.js";
import { posthogRedactionPolicy } from "./posthog-policy.js";
import type { LangfuseOptions, OtlpOptions, PosthogOptions } from "./sections.js";
import { findUnresolved } from "./substitute.js";

export const FIRST_PARTY_PACKAGES = {
  posthog: "@pipelex/telemetry-exporter-posthog",
  langfuse: "@pipelex/telemetry-exporter-langfuse",
  otlp: "@pipelex/telemetry-exporter-otlp",
} as const;

export type StreamKind = "posthog" | "langfuse" | "otlp" | "plugin";
/** What turned a stream off: its own section, the runtime mode, or the kill switch. */
export type OffBy = "config" | "mode" | "do_not_track";

/** One configured stream: whether it is on, why, where it sends and what it redacts. */
export interface StreamReport {
  /** Destination name (`posthog`, `langfuse`, an `[[otlp]]` name, or the plugin package). */
  readonly name: string;
  readonly kind: StreamKind;
  readonly packageName: string;
  readonly keyPath: string;
  readonly file: string | undefined;
  readonly on: boolean;
  readonly offBy?: OffBy;
  readonly reason: string;
  /** URL (never with credentials) or a description. */
  readonly sendsTo: string;
  /** The span redaction this stream applies; `undefined` when the plugin decides. */
  readonly redaction: readonly Redactor[] | undefined;
  /** PostHog event properties dropped when spans become events. */
  readonly redactProperties?: readonly string[];
  /** Secret option values by key path; shown masked, never printed whole. */
  readonly secrets: Readonly<Record<string, string>>;
  /** What `plugin.toDestination` gets: camelCase keys for first-party sections, as written for plugins. */
  readonly pluginOptions: Record<string, unknown>;
}

export interface StreamGate {
  readonly env: EnvSource;
  readonly fileOf: FileOf;
  /** Undefined when custom telemetry may run; else why not. */
  readonly blockedBy?: { readonly offBy: "mode" | "do_not_track"; readonly reason: string };
}

/**
 * Decides, per stream, on or off and why, and checks what an enabled stream needs: no
 * unresolved `${VAR}`, its required secrets, a valid endpoint. A section that is off may keep
 * placeholders (the shipped template references variables most users never set).
 */
export function buildStreamReports(doc: ConfigDocument, gate: StreamGate): StreamReport[] {
  const reports: StreamReport[] = [];
  if (doc.posthog) reports.push(posthogReport(doc.posthog, gate));
  if (doc.langfuse) reports.push(langfuseReport(doc.langfuse, gate));
  doc.otlp.forEach((entry) => {
    reports.push(otlpReport(entry, gate));
  });
  for (const entry of doc.exporters) reports.push(pluginReport(entry, gate));
  return reports;
}

interface Decision {
  on: boolean;
  offBy?: OffBy;
  reason: string;
}

function decide(configOn: boolean, configReason: string, gate: StreamGate): Decision {
  if (!configOn) return { on: false, offBy: "config", reason: configReason };
  if (gate.blockedBy) return { on: false, offBy: gate.blockedBy.offBy, reason: gate.blockedBy.reason };
  return { on: true, reason: configReason };
}

function posthogReport(section: ConfigSection<PosthogOptions>, gate: StreamGate): StreamReport {
  const { options, keyPath } = section;
  if (options.mode === "identified" && options.userId === undefined) {
    throw new TelemetryConfigError('mode "identified" needs the user to identify', {
      file: gate.fileOf(`${keyPath}.mode`),
      keyPath: `${keyPath}.user_id`,
      expected: 'a user_id when mode = "identified"',
    });
  }
  const configOn = options.mode !== "off" && options.tracing.enabled;
  const configReason =
    options.mode === "off"
      ? `${keyPath}.mode = "off"`
      : options.tracing.enabled
        ? `${keyPath}.mode = "${options.mode}" and tracing.enabled = true`
        : `${keyPath}.tracing.enabled = false`;
  const decision = decide(configOn, configReason, gate);
  const endpoint = checkedEndpoint(section, "endpoint", options.endpoint, decision.on, gate);
  if (decision.on) {
    requireConfigSecret(section, "api_key", "POSTHOG_API_KEY", gate, TelemetryConfigError);
    checkResolved(section, gate);
  }
  return {
    name: "posthog",
    kind: "posthog",
    packageName: FIRST_PARTY_PACKAGES.posthog,
    keyPath,
    file: section.file,
    ...decision,
    sendsTo: displayEndpoint(endpoint) ?? "https://us.i.posthog.com (PostHog default)",
    redaction: posthogRedactionPolicy(options),
    redactProperties: options.redactProperties,
    secrets: secretsOf({ [`${keyPath}.api_key`]: options.apiKey }),
    pluginOptions: section.raw,
  };
}

/** Langfuse Cloud, which the `[langfuse]` endpoint defaults to. */
const LANGFUSE_DEFAULT_ENDPOINT = "https://cloud.langfuse.com";

/**
 * `endpoint = "${LANGFUSE_BASE_URL}"` with the variable unset means "not set": the shipped
 * template annotates that line with the default, so the default applies (as in app code).
 */
function withoutUnsetEndpoint(section: ConfigSection<LangfuseOptions>): ConfigSection<LangfuseOptions> {
  const written = section.written.endpoint;
  if (typeof written !== "string" || !/^\$\{(?:env:)?[A-Za-z_][A-Za-z0-9_]*\}$/.test(written)) return section;
  const { endpoint: _written, ...restWritten } = section.written;
  const { endpoint: _raw, ...restRaw } = section.raw;
  return {
    ...section,
    written: restWritten,
    raw: restRaw,
    options: { ...section.options, endpoint: LANGFUSE_DEFAULT_ENDPOINT },
  };
}

function langfuseReport(configured: ConfigSection<LangfuseOptions>, gate: StreamGate): StreamReport {
  const section = withoutUnsetEndpoint(configured);
  const { options, keyPath } = section;
  const decision = decide(options.enabled, `${keyPath}.enabled = ${options.enabled}`, gate);
  const endpoint = checkedEndpoint(section, "endpoint", options.endpoint, decision.on, gate);
  if (decision.on) {
    requireConfigSecret(section, "public_key", "LANGFUSE_PUBLIC_KEY", gate, LangfuseCredentialsError);
    requireConfigSecret(section, "secret_key", "LANGFUSE_SECRET_KEY", gate, LangfuseCredentialsError);
    checkResolved(section, gate);
  }
  return {
    name: "langfuse",
    kind: "langfuse",
    packageName: FIRST_PARTY_PACKAGES.langfuse,
    keyPath,
    file: section.file,
    ...decision,
    sendsTo: displayEndpoint(endpoint ?? options.endpoint) ?? LANGFUSE_DEFAULT_ENDPOINT,
    redaction: [],
    secrets: secretsOf({
      [`${keyPath}.public_key`]: options.publicKey,
      [`${keyPath}.secret_key`]: options.secretKey,
    }),
    pluginOptions: section.raw,
  };
}

function otlpReport(section: ConfigSection<OtlpOptions>, gate: StreamGate): StreamReport {
  const { options, keyPath } = section;
  const decision = decide(true, `${keyPath} is configured`, gate);
  const endpoint = checkedEndpoint(section, "endpoint", options.endpoint, decision.on, gate);
  if (decision.on) checkResolved(section, gate);
  const headerSecrets: Record<string, string | undefined> = {};
  for (const [header, value] of Object.entries(options.headers ?? {})) {
    headerSecrets[`${keyPath}.headers.${header}`] = value;
  }
  return {
    name: options.name,
    kind: "otlp",
    packageName: FIRST_PARTY_PACKAGES.otlp,
    keyPath,
    file: section.file,
    ...decision,
    sendsTo: displayEndpoint(endpoint ?? defaultOtlpEndpoint(gate.env)) ?? "",
    redaction: [],
    secrets: secretsOf(headerSecrets),
    pluginOptions: section.raw,
  };
}

function pluginReport(entry: ExporterEntry, gate: StreamGate): StreamReport {
  const decision = decide(entry.enabled, `${entry.keyPath}.enabled = ${entry.enabled}`, gate);
  if (decision.on) checkResolved(entry, gate);
  return {
    name: entry.packageName,
    kind: "plugin",
    packageName: entry.packageName,
    keyPath: entry.keyPath,
    file: entry.file,
    ...decision,
    sendsTo: "decided by the plugin",
    redaction: undefined,
    secrets: {},
    pluginOptions: entry.options,
  };
}

/** OpenTelemetry's own variables, as the OTLP exporter reads them (the `TRACES_` form wins). */
function defaultOtlpEndpoint(env: EnvSource): string {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (traces) return traces;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (base) return `${base.replace(/\/+$/, "")}/v1/traces`;
  return "http://localhost:4318/v1/traces";
}

/** An endpoint as `status` shows it: without its query or fragment, which may carry tokens. */
function displayEndpoint(endpoint: string | undefined): string | undefined {
  if (endpoint === undefined) return undefined;
  try {
    const url = new URL(endpoint);
    const hidden = url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "";
    if (!hidden) return endpoint;
    url.search = "";
    url.hash = "";
    url.username = "";
    url.password = "";
    return `${url.toString()} (credentials and query hidden)`;
  } catch {
    return endpoint.replace(/[?#].*$/, "");
  }
}

/**
 * Validates an endpoint whenever its value is final; one still holding a `${VAR}` is checked
 * only when the stream is on (it is reported as unresolved then).
 */
function checkedEndpoint(
  section: { keyPath: string },
  key: string,
  value: string | undefined,
  on: boolean,
  gate: StreamGate,
): string | undefined {
  if (value === undefined) return undefined;
  const keyPath = `${section.keyPath}.${key}`;
  if (findUnresolved(value, keyPath).length > 0) {
    if (on) checkResolved({ keyPath: section.keyPath, written: { [key]: value } }, gate);
    return value;
  }
  validateEndpoint(value, { file: gate.fileOf(keyPath), keyPath });
  return value;
}

function checkResolved(
  section: { keyPath: string; written: Record<string, unknown> },
  gate: StreamGate,
): void {
  const [first] = findUnresolved(section.written, section.keyPath);
  if (!first) return;
  throw new TelemetryConfigError(
    `uses \${${first.variable}}, which is not set: set the environment variable ${first.variable}`,
    { file: gate.fileOf(first.keyPath), keyPath: first.keyPath, expected: "a resolved value" },
  );
}

type ConfigErrorClass = typeof TelemetryConfigError;

/** A required secret must be present and resolved; the error names the variable, never the value. */
function requireConfigSecret(
  section: { keyPath: string; written: Record<string, unknown> },
  key: string,
  variable: string,
  gate: StreamGate,
  ErrorClass: ConfigErrorClass,
): void {
  const keyPath = `${section.keyPath}.${key}`;
  const value = section.written[key];
  const file = gate.fileOf(keyPath);
  if (typeof value !== "string" || value.trim() === "") {
    throw new ErrorClass(
      `a required secret is missing: set ${key} = "\${${variable}}" and the variable ${variable}`,
      {
        file,
        keyPath,
        expected: "a non-empty value",
      },
    );
  }
  const [unresolved] = findUnresolved(value, keyPath);
  if (unresolved) {
    throw new ErrorClass(
      `a required secret is unresolved: set the environment variable ${unresolved.variable}`,
      { file, keyPath, expected: "a resolved value" },
    );
  }
}

function secretsOf(entries: Record<string, string | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(entries)) if (value) result[key] = value;
  return result;
}
