import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import { settlesWithin } from "../delivery/export-with-timeout.js";
import { ExporterConformanceError, TelemetryConfigError } from "../errors.js";
import { RuntimeKillSwitch } from "../kill-switch/kill-switch.js";
import {
  defineExporter,
  type ExporterPlugin,
  isExporterPlugin,
  SUPPORTED_PLUGIN_API_VERSIONS,
} from "../plugin/define-exporter.js";
import type { ExporterContext } from "../plugin/exporter-context.js";
import { MaskingLogger } from "../plugin/logger.js";
import { copySpan } from "../span/span-copy.js";
import { createTelemetry } from "../telemetry/create-telemetry.js";
import { buildResource } from "../telemetry/resource.js";
import { inMemoryDestination } from "./in-memory.js";
import { runSampleWorkflow } from "./sample-workflow.js";

/** Options as app code passes them: no file, no key path, the environment not known yet. */
const APP_CODE = { keyPath: "", file: undefined, env: undefined } as const;

export interface ConformanceOptions {
  /** Raw options for the plugin, as they would appear in app code (camelCase). Default `{}`. */
  options?: unknown;
  /** Bound for each export / flush / shutdown call. Default 5000 ms. */
  timeoutMs?: number;
  /** Whether `export` must succeed with these options (false for exporters pointed at nothing). Default true. */
  expectExportSuccess?: boolean;
}

export interface ConformanceCheck {
  readonly check: string;
  readonly ok: boolean;
  readonly problem?: string;
}

export interface ConformanceReport {
  readonly plugin: string;
  readonly checks: readonly ConformanceCheck[];
}

type PluginModule = ExporterPlugin<unknown> | { default?: unknown };

function resolvePlugin(pluginModule: PluginModule): ExporterPlugin<unknown> | undefined {
  if (isExporterPlugin(pluginModule)) return pluginModule;
  const candidate = (pluginModule as { default?: unknown })?.default;
  if (isExporterPlugin(candidate)) return candidate;
  // CJS interop: `module.exports = { default: plugin }` imported from ESM.
  const nested = (candidate as { default?: unknown } | undefined)?.default;
  return isExporterPlugin(nested) ? nested : undefined;
}

/**
 * The suite a plugin author runs (from any test runner) to prove the plugin honours the kill
 * switch, flush and shutdown, reports every export exactly once, never edits the spans it is
 * given, leaves no timer behind and keeps its secrets out of logs. Throws
 * ExporterConformanceError listing every failed check; resolves with the report otherwise.
 */
export async function runExporterConformance(
  pluginModule: PluginModule,
  conformance: ConformanceOptions = {},
): Promise<ConformanceReport> {
  const sampleOptions = conformance.options ?? {};
  const timeoutMs = conformance.timeoutMs ?? 5000;
  const checks: ConformanceCheck[] = [];
  const record = async (check: string, body: () => Promise<string | undefined> | string | undefined) => {
    try {
      const problem = await body();
      checks.push(problem ? { check, ok: false, problem } : { check, ok: true });
    } catch (error) {
      checks.push({
        check,
        ok: false,
        problem: `threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      });
    }
  };

  const plugin = resolvePlugin(pluginModule);
  if (!plugin) {
    throw new ExporterConformanceError("(unknown)", [
      { check: "module shape", problem: "the module does not default-export a defineExporter(...) result" },
    ]);
  }

  await record("declares a supported apiVersion", () =>
    SUPPORTED_PLUGIN_API_VERSIONS.includes(plugin.apiVersion)
      ? undefined
      : `apiVersion ${plugin.apiVersion} is not one of ${SUPPORTED_PLUGIN_API_VERSIONS.join(", ")}`,
  );

  let parsed: unknown;
  await record("parseOptions accepts the sample options", () => {
    parsed = plugin.parseOptions(sampleOptions, APP_CODE);
    return undefined;
  });
  await record("parseOptions rejects bad input with TelemetryConfigError", () => {
    for (const bad of [42, "not options", [1, 2]]) {
      try {
        plugin.parseOptions(bad, APP_CODE);
        return `accepted ${JSON.stringify(bad)}`;
      } catch (error) {
        if (!(error instanceof TelemetryConfigError)) {
          return `threw ${error instanceof Error ? error.name : typeof error} instead of TelemetryConfigError`;
        }
      }
    }
    return undefined;
  });

  await record("DO_NOT_TRACK: create() is never called and nothing is opened", async () => {
    let created = 0;
    const spy = defineExporter({
      ...plugin,
      create: (options, context) => {
        created++;
        return plugin.create(options, context);
      },
    });
    const before = activeHandleCount();
    const telemetry = createTelemetry({
      env: { DO_NOT_TRACK: "1" },
      destinations: [spy.toDestination(sampleOptions)],
    });
    await runSampleWorkflow(telemetry);
    await telemetry.shutdown({ timeoutMs });
    if (created > 0) return `create() was called ${created} time(s)`;
    return handlesLeftOpen(before, "were opened");
  });

  const spans = await sampleSpans();
  const secretSink: string[] = [];
  const makeContext = (): { context: ExporterContext; killSwitch: RuntimeKillSwitch } => {
    const killSwitch = new RuntimeKillSwitch({});
    const logger = new MaskingLogger(
      {
        debug: (m) => secretSink.push(m),
        info: (m) => secretSink.push(m),
        warn: (m) => secretSink.push(m),
        error: (m) => secretSink.push(m),
      },
      "debug",
    ).addSecrets(...(plugin.secrets?.(parsed) ?? []));
    return {
      killSwitch,
      context: {
        destinationName: plugin.name,
        logger,
        resource: buildResource({}, {}),
        killSwitch,
        defaultRedaction: [],
        env: {},
        shutdownSignal: new AbortController().signal,
      },
    };
  };

  const handlesBefore = activeHandleCount();
  let exporter: SpanExporter | undefined;
  await record("create() returns an OpenTelemetry SpanExporter", () => {
    exporter = plugin.create(parsed, makeContext().context);
    if (!exporter || typeof exporter.export !== "function" || typeof exporter.shutdown !== "function") {
      return "the result has no export() or shutdown()";
    }
    return undefined;
  });

  if (exporter) {
    const live = exporter;
    await record("export() answers exactly once, within the timeout, without editing the spans", async () => {
      const frozen = spans.map(deepFrozenCopy);
      const snapshot = JSON.stringify(frozen.map(describeSpan));
      const results = await collectResults(live, frozen, timeoutMs);
      if (results.length === 0) return `export() did not call back within ${timeoutMs} ms`;
      if (results.length > 1) return `export() called back ${results.length} times`;
      if (JSON.stringify(frozen.map(describeSpan)) !== snapshot)
        return "export() changed the spans it was given";
      if (conformance.expectExportSuccess !== false && results[0]!.code !== ExportResultCode.SUCCESS) {
        return `export() failed: ${results[0]!.error?.message ?? "no error given"}`;
      }
      return undefined;
    });
    await record("forceFlush() resolves within the timeout", async () => {
      if (!live.forceFlush) return undefined;
      return (await settlesWithin(live.forceFlush(), timeoutMs))
        ? undefined
        : `forceFlush() did not settle within ${timeoutMs} ms`;
    });
    await record("shutdown() resolves within the timeout", async () =>
      (await settlesWithin(live.shutdown(), timeoutMs))
        ? undefined
        : `shutdown() did not settle within ${timeoutMs} ms`,
    );
    await record("export() after shutdown() fails promptly and sends nothing", async () => {
      const results = await collectResults(live, spans.map(deepFrozenCopy), timeoutMs);
      if (results.length !== 1) return `export() after shutdown called back ${results.length} times`;
      return results[0]!.code === ExportResultCode.FAILED
        ? undefined
        : "export() after shutdown reported SUCCESS";
    });
  }

  await record("telemetry.disable(): nothing more reaches export()", async () => {
    let exportsAfterDisable = 0;
    let disabled = false;
    const spy = defineExporter({
      ...plugin,
      create: (options, context) => {
        const inner = plugin.create(options, context);
        return {
          export: (batch, done) => {
            if (disabled) exportsAfterDisable++;
            inner.export(batch, done);
          },
          shutdown: () => inner.shutdown(),
          forceFlush: inner.forceFlush ? () => inner.forceFlush!() : undefined,
        };
      },
    });
    const telemetry = createTelemetry({ env: {}, destinations: [spy.toDestination(sampleOptions)] });
    await runSampleWorkflow(telemetry);
    telemetry.disable();
    disabled = true;
    await runSampleWorkflow(telemetry);
    await telemetry.forceFlush();
    await telemetry.shutdown({ timeoutMs });
    return exportsAfterDisable > 0
      ? `export() was called ${exportsAfterDisable} time(s) after disable()`
      : undefined;
  });

  await record("leaves no timer or socket open after shutdown", () =>
    handlesLeftOpen(handlesBefore, "still open"),
  );

  await record("no secret reaches a log line", () => {
    const secrets = (plugin.secrets?.(parsed) ?? []).filter(
      (s): s is string => typeof s === "string" && s.length >= 4,
    );
    const leaked = secrets.filter((secret) => secretSink.some((line) => line.includes(secret)));
    return leaked.length > 0 ? `${leaked.length} secret(s) appeared in log lines` : undefined;
  });

  const failures = checks.filter((c) => !c.ok).map((c) => ({ check: c.check, problem: c.problem ?? "" }));
  if (failures.length > 0) throw new ExporterConformanceError(plugin.name, failures);
  return { plugin: plugin.name, checks };
}

async function sampleSpans(): Promise<ReadableSpan[]> {
  const memory = inMemoryDestination("conformance-sample");
  const telemetry = createTelemetry({ env: {}, destinations: [memory.destination] });
  await runSampleWorkflow(telemetry);
  await telemetry.shutdown({ timeoutMs: 1000 });
  return memory.spans();
}

function collectResults(
  exporter: SpanExporter,
  spans: ReadableSpan[],
  timeoutMs: number,
): Promise<ExportResult[]> {
  return new Promise((resolve) => {
    const results: ExportResult[] = [];
    // Wait a little past the first answer, to catch a second callback.
    const finish = () => setTimeout(() => resolve(results), 50);
    const timer = setTimeout(() => resolve(results), timeoutMs);
    try {
      exporter.export(spans, (result) => {
        results.push(result);
        if (results.length === 1) {
          clearTimeout(timer);
          finish();
        }
      });
    } catch (error) {
      clearTimeout(timer);
      results.push({
        code: ExportResultCode.FAILED,
        error: error instanceof Error ? error : new Error(String(error)),
      });
      resolve(results);
    }
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

function deepFrozenCopy(span: ReadableSpan): ReadableSpan {
  const clone = <T>(v: T): T => structuredClone(v);
  const copy = copySpan(span, {
    name: span.name,
    attributes: deepFreeze(clone(span.attributes)),
    events: deepFreeze(clone(span.events)),
    links: deepFreeze(clone(span.links)),
    status: deepFreeze(clone(span.status)),
  });
  return Object.freeze(copy);
}

function describeSpan(span: ReadableSpan): unknown {
  return {
    name: span.name,
    attributes: span.attributes,
    events: span.events,
    status: span.status,
    links: span.links,
  };
}

/** Resources keeping the process alive: timers, sockets (Node only; none elsewhere). */
function activeHandles(): string[] {
  const info = (
    globalThis as { process?: { getActiveResourcesInfo?: () => string[] } }
  ).process?.getActiveResourcesInfo?.();
  return info ? info.filter((r) => r !== "TTYWrap" && r !== "FSReqCallback") : [];
}

function activeHandleCount(): number {
  return activeHandles().length;
}

const HANDLE_GRACE_MS = 1000;

/**
 * Waits up to a second for the count to fall back to `before`: a socket closed by either end
 * goes away a few event-loop turns later, on a busy machine more. A leak (a live timer, a
 * pooled keep-alive socket) is still there after the grace and is reported with its kinds.
 */
async function handlesLeftOpen(before: number, what: string): Promise<string | undefined> {
  const deadline = Date.now() + HANDLE_GRACE_MS;
  for (;;) {
    const handles = activeHandles();
    if (handles.length <= before) return undefined;
    if (Date.now() >= deadline) {
      return `${handles.length - before} handle(s) ${what} after a ${HANDLE_GRACE_MS} ms grace (open now: ${handles.join(", ")})`;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
