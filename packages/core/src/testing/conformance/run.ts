import { ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import { ExporterConformanceError, TelemetryConfigError } from "../../errors.js";
import { RuntimeKillSwitch } from "../../kill-switch/kill-switch.js";
import {
  type ExporterPlugin,
  isExporterPlugin,
  type ParseContext,
  SUPPORTED_PLUGIN_API_VERSIONS,
} from "../../plugin/define-exporter.js";
import type { ExporterContext } from "../../plugin/exporter-context.js";
import { toRedactor } from "../../redaction/redactor.js";
import { createTelemetry } from "../../telemetry/create-telemetry.js";
import { buildResource } from "../../telemetry/resource.js";
import { inMemoryDestination } from "../in-memory.js";
import { runSampleWorkflow } from "../sample-workflow.js";
import { callExport, type ExportCall, errorText } from "./export-call.js";
import { deepFrozenCopy, describeSpan } from "./frozen-spans.js";
import { importSpecifier, probeImport } from "./import-probe.js";
import { installNetworkTap, type NetworkTap } from "./network-tap.js";
import { installOutputTap, type OutputTap } from "./output-tap.js";
import { type ConformanceReceiver, type KitReceiver, startKitReceiver } from "./receiver.js";
import { type LoggedLine, RecordingLogger } from "./recording-logger.js";
import { activeHandles, type CreationWatcher, openFiles, watchCreations } from "./resources.js";
import { collectSecrets, type KnownSecret, maskKnownSecrets, secretsIn } from "./secrets.js";
import { markNow } from "./sequence.js";
import { settlesIn, sleep, until } from "./timing.js";

export type { ConformanceReceiver } from "./receiver.js";

export interface ConformanceOptions {
  /**
   * Raw options for the plugin, as app code would pass them (camelCase). Pass a function to
   * point the plugin at the kit's loopback receiver: `(receiver) => ({ endpoint: receiver.url })`;
   * without it the kit still watches every request, but cannot make the endpoint fail or hang.
   */
  options?: ((receiver: ConformanceReceiver) => unknown) | object | string | number | boolean | null;
  /**
   * The module as a child process can import it (a package name, a path or a file URL to the
   * built JS). Needed for the import-time check; implied when `pluginModule` is itself a specifier.
   */
  importFrom?: string | URL;
  /** Values in `options` that are secrets beyond what the kit recognises by key name. */
  secrets?: readonly string[];
  /** Bound for export / forceFlush / shutdown. Default: the plugin's `delivery().exportTimeoutMillis`, else 30000 ms. */
  timeoutMs?: number;
  /** How long the kit keeps watching after the kill switch, an abort or shutdown. Default 2000 ms. */
  watchMs?: number;
  /** How soon after `shutdownSignal` aborts `shutdown()` must settle. Default 1000 ms. */
  abortGraceMs?: number;
  /** Whether `export` must succeed against the receiver (false for exporters pointed at nothing). Default true. */
  expectExportSuccess?: boolean;
  /** The environment handed to `parseOptions` and `create` (never the test's own). Default `{}`. */
  env?: Readonly<Record<string, string>>;
}

export interface ConformanceCheck {
  readonly check: string;
  readonly ok: boolean;
  readonly problem?: string;
  /** What the check could not exercise, e.g. the plugin sent nothing to the kit's receiver. */
  readonly note?: string;
}

export interface ConformanceReport {
  readonly plugin: string;
  readonly checks: readonly ConformanceCheck[];
  /** Requests that reached the kit's receiver: 0 means the plugin was never pointed at it. */
  readonly requestsReceived: number;
}

type PluginModule = ExporterPlugin<unknown> | { default?: unknown };

/** The names of the checks, as they appear in reports and in ExporterConformanceError. */
export const CONFORMANCE_CHECKS = {
  apiVersion: "declares a supported apiVersion",
  parses: "parseOptions accepts the sample options",
  rejects: "parseOptions rejects bad input with TelemetryConfigError",
  pure: "parseOptions, secrets and describe send, open and print nothing",
  importQuiet: "importing the module opens, sends and prints nothing",
  creates: "create() returns an OpenTelemetry SpanExporter",
  exports: "export() answers exactly once, within its bound, without editing the spans",
  flush: "forceFlush() settles within its bound",
  shutdown: "shutdown() settles within its bound",
  quietAfterShutdown: "after shutdown: export() fails and nothing is sent, printed or opened",
  killRetry: "kill switch: a retry scheduled before it engaged is never sent",
  killInFlight: "kill switch: the request in flight is aborted and nothing more is sent",
  signalRetry: "shutdownSignal: a retry scheduled before it aborted is never sent",
  signalInFlight:
    "shutdownSignal: the request in flight is aborted, nothing more is sent, shutdown() settles",
  noLeftovers: "leaves no timer, socket or file open after shutdown",
  neverThrows: "export() never throws",
  noUnhandled: "raises no unhandled promise rejection",
  secretsKept: "keeps every secret out of console, stdout/stderr, its logger, errors and describe()",
  secretsDeclared: "declares every secret it logs",
} as const;

const C = CONFORMANCE_CHECKS;
/** After a 503 the kit waits this long before the switch: the plugin has read the answer. */
const RETRY_SCHEDULE_MS = 30;
const HANDLE_GRACE_MS = 1000;
/** Core's own default export timeout. */
const DEFAULT_EXPORT_TIMEOUT_MS = 30_000;

function resolvePlugin(pluginModule: unknown): ExporterPlugin<unknown> | undefined {
  if (isExporterPlugin(pluginModule)) return pluginModule;
  const candidate = (pluginModule as { default?: unknown } | undefined)?.default;
  if (isExporterPlugin(candidate)) return candidate;
  // CJS interop: `module.exports = { default: plugin }` imported from ESM.
  const nested = (candidate as { default?: unknown } | undefined)?.default;
  return isExporterPlugin(nested) ? nested : undefined;
}

/**
 * The suite a plugin author runs (from any test runner, in Node) to prove the plugin keeps its
 * secrets, honours the kill switch and `shutdownSignal` (no request, no retry after them),
 * opens nothing at import or after shutdown, and never hangs `shutdown`/`forceFlush` or throws
 * from `export`. It drives the plugin itself (parseOptions, secrets, create and the exporter),
 * not core. Throws ExporterConformanceError listing every failed check; resolves with the
 * report otherwise. Not re-entrant: it patches process-wide functions while it runs.
 */
export async function runExporterConformance(
  pluginModule: PluginModule | string | URL,
  conformance: ConformanceOptions = {},
): Promise<ConformanceReport> {
  const fromSpecifier = typeof pluginModule === "string" || pluginModule instanceof URL;
  const importFrom = conformance.importFrom ?? (fromSpecifier ? pluginModule : undefined);
  const loaded: unknown = fromSpecifier ? await importModule(importSpecifier(pluginModule)) : pluginModule;
  const plugin = resolvePlugin(loaded);
  if (!plugin) {
    throw new ExporterConformanceError("(unknown)", [
      { check: "module shape", problem: "the module does not default-export a defineExporter(...) result" },
    ]);
  }
  const spans = await sampleSpans();
  const receiver = await startKitReceiver();
  const raw =
    typeof conformance.options === "function"
      ? (conformance.options as (r: ConformanceReceiver) => unknown)(receiver)
      : (conformance.options ?? {});
  let secrets = collectSecrets(raw, [], conformance.secrets ?? []);
  let mask = maskKnownSecrets(secrets);
  const output = await installOutputTap((text) => mask(text));
  const network = await installNetworkTap();
  const creations = await watchCreations();
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  process.on("unhandledRejection", onRejection);
  const session = new Session(
    plugin,
    { ...conformance, importFrom },
    receiver,
    raw,
    spans,
    output,
    network,
    creations,
  );
  try {
    await session.run(
      () => secrets,
      (declared) => {
        secrets = collectSecrets(raw, declared, conformance.secrets ?? []);
        mask = maskKnownSecrets(secrets);
      },
      () => rejections,
    );
  } finally {
    process.off("unhandledRejection", onRejection);
    creations.stop();
    network.restore();
    output.restore();
    await receiver.close();
  }
  const failures = session.checks
    .filter((c) => !c.ok)
    .map((c) => ({ check: c.check, problem: mask(c.problem ?? "") }));
  if (failures.length > 0) throw new ExporterConformanceError(plugin.name, failures);
  return { plugin: plugin.name, checks: session.checks, requestsReceived: receiver.requests.length };
}

/** One run of the kit: the plugin, the observers, and the checks recorded so far. */
class Session {
  readonly checks: ConformanceCheck[] = [];
  private readonly logged: LoggedLine[] = [];
  /** Error messages the plugin produced (export results, throws, rejections). */
  private readonly errors: string[] = [];
  private readonly calls: ExportCall[] = [];
  private readonly exporters: SpanExporter[] = [];
  private timeoutMs: number;
  private readonly watchMs: number;
  private readonly abortGraceMs: number;
  private readonly env: Readonly<Record<string, string>>;
  private parsed: unknown;
  private declared: readonly unknown[] = [];
  /** Secrets the plugin registered on its context logger (`addSecrets`): core treats them as declared. */
  private readonly registered: string[] = [];
  private described = "";
  private importPrinted = "";

  constructor(
    private readonly plugin: ExporterPlugin<unknown>,
    private readonly conformance: ConformanceOptions,
    private readonly receiver: KitReceiver,
    private readonly raw: unknown,
    private readonly spans: ReadableSpan[],
    private readonly output: OutputTap,
    private readonly network: NetworkTap,
    private readonly creations: CreationWatcher,
  ) {
    this.watchMs = conformance.watchMs ?? 2000;
    this.abortGraceMs = conformance.abortGraceMs ?? 1000;
    this.env = conformance.env ?? {};
    this.timeoutMs = conformance.timeoutMs ?? DEFAULT_EXPORT_TIMEOUT_MS;
  }

  private async record(
    check: string,
    body: () => Promise<string | undefined | Outcome> | string | undefined | Outcome,
  ) {
    try {
      const outcome = await body();
      const { problem, note } = typeof outcome === "object" ? outcome : { problem: outcome, note: undefined };
      this.checks.push({ check, ok: !problem, ...(problem ? { problem } : {}), ...(note ? { note } : {}) });
    } catch (error) {
      this.checks.push({ check, ok: false, problem: `threw ${errorText(error)}` });
    }
  }

  async run(
    secrets: () => KnownSecret[],
    declare: (declared: readonly unknown[]) => void,
    rejections: () => unknown[],
  ): Promise<void> {
    const { plugin } = this;
    await this.record(C.apiVersion, () =>
      SUPPORTED_PLUGIN_API_VERSIONS.includes(plugin.apiVersion)
        ? undefined
        : `apiVersion ${plugin.apiVersion} is not one of ${SUPPORTED_PLUGIN_API_VERSIONS.join(", ")}`,
    );
    const parsedOk = await this.checkParsing();
    declare(this.declared);
    await this.checkImport();
    if (!parsedOk) return;

    const handlesBefore = activeHandles();
    const filesBefore = await openFiles();
    const healthy = await this.checkHealthyLifecycle();
    if (healthy) {
      await this.checkSwitch("kill", "retry");
      await this.checkSwitch("kill", "inflight");
      await this.checkSwitch("signal", "retry");
      await this.checkSwitch("signal", "inflight");
    }
    this.receiver.release();
    await this.record(C.noLeftovers, () => this.leftovers(handlesBefore, filesBefore));
    await this.record(C.neverThrows, () => {
      const threw = this.calls.filter((c) => c.threw !== undefined);
      return threw.length > 0
        ? `export() threw ${threw.length} time(s): ${errorText(threw[0]!.threw)}`
        : undefined;
    });
    await this.record(C.noUnhandled, () => {
      const list = rejections();
      return list.length > 0
        ? `${list.length} unhandled rejection(s), first: ${errorText(list[0])}`
        : undefined;
    });
    this.checkSecrets(secrets());
  }

  /** As app code passes options: no file, no key path; the environment only if the caller gives one. */
  private source(): ParseContext {
    return { keyPath: "", file: undefined, env: this.conformance.env };
  }

  private async checkParsing(): Promise<boolean> {
    const { plugin } = this;
    let ok = false;
    await this.record(C.parses, () => {
      this.parsed = plugin.parseOptions(this.raw, this.source());
      ok = true;
      return undefined;
    });
    await this.record(C.rejects, () => {
      for (const bad of [42, "not options", [1, 2]]) {
        try {
          plugin.parseOptions(bad, this.source());
          return `accepted ${JSON.stringify(bad)}`;
        } catch (error) {
          // By name too: an ESM plugin tested from the CJS build throws the other build's class.
          if (
            !(error instanceof TelemetryConfigError) &&
            (error as Error | undefined)?.name !== "TelemetryConfigError"
          ) {
            return `threw ${error instanceof Error ? error.name : typeof error} instead of TelemetryConfigError`;
          }
          this.errors.push(errorText(error));
        }
      }
      return undefined;
    });
    if (!ok) return false;
    // The bound a plugin declares for one export (core enforces the same), unless the caller sets one.
    this.timeoutMs =
      this.conformance.timeoutMs ?? plugin.delivery?.(this.parsed)?.exportTimeoutMillis ?? this.timeoutMs;
    await this.record(C.pure, async () => {
      const mark = markNow();
      this.declared = plugin.secrets?.(this.parsed) ?? [];
      this.described = JSON.stringify(plugin.describe?.(this.parsed) ?? {});
      plugin.defaultRedaction?.(this.parsed);
      plugin.destinationName?.(this.parsed);
      plugin.isEnabled?.(this.parsed);
      plugin.parseOptions(this.raw, this.source());
      await sleep(50);
      return this.noise(mark, "");
    });
    return true;
  }

  private async checkImport(): Promise<void> {
    const from = this.conformance.importFrom;
    if (from === undefined) {
      this.checks.push({
        check: C.importQuiet,
        ok: true,
        note: "not checked: pass `importFrom` (the module's built file or package name) to import it in a child process",
      });
      return;
    }
    await this.record(C.importQuiet, async () => {
      // A generous bound: a fresh Node process on a loaded CI machine can take seconds to start.
      const effects = await probeImport(from, 200, Math.max(this.timeoutMs, 30_000));
      this.importPrinted = effects.printed;
      if (effects.importError) return `importing ${String(from)} failed: ${effects.importError}`;
      const problems: string[] = [];
      if (effects.pluginName !== this.plugin.name) {
        problems.push(
          effects.pluginName === undefined
            ? `${String(from)} does not default-export a plugin`
            : `${String(from)} is the plugin "${effects.pluginName}", not "${this.plugin.name}"`,
        );
      }
      if (effects.opened.length > 0) problems.push(`opened ${effects.opened.join("; ")}`);
      if (effects.printed.trim() !== "")
        problems.push(`printed ${JSON.stringify(firstLine(effects.printed))}`);
      return problems.join("; ") || undefined;
    });
  }

  /**
   * What was sent (and, unless `sendsOnly`, printed or opened) after `mark`, described;
   * undefined when the plugin stayed quiet.
   */
  private noise(mark: number, prefix: string, sendsOnly = false): string | undefined {
    const sent = this.network.since(mark);
    const arrived = this.lateArrivals(mark);
    const printed = sendsOnly ? [] : this.output.since(mark);
    const opened = sendsOnly ? [] : this.creations.since(mark);
    const problems: string[] = [];
    if (sent.length > 0) problems.push(`sent ${describeRequests(sent)}`);
    else if (arrived > 0) problems.push(`${arrived} request(s) reached the kit's receiver`);
    if (printed.length > 0)
      problems.push(`printed to ${printed[0]!.channel}: ${JSON.stringify(firstLine(printed[0]!.text))}`);
    if (opened.length > 0)
      problems.push(
        `opened ${opened
          .map((c) => `${c.type} at ${c.where}`)
          .slice(0, 3)
          .join("; ")}`,
      );
    return problems.length > 0 ? `${prefix}${problems.join("; ")}` : undefined;
  }

  /**
   * Requests reaching the receiver after `mark` that were not already on their way: on a loaded
   * machine a request started just before the switch arrives after it. (The module-level watch
   * sees every start; this catches what it cannot, such as a request from a worker thread.)
   */
  private lateArrivals(mark: number): number {
    const before = this.receiver.requests.filter((r) => r.seq <= mark).length;
    const inTransit = Math.max(
      0,
      this.network.requestsTo(`${this.receiver.host}:${this.receiver.port}`, mark) - before,
    );
    return Math.max(0, this.receiver.since(mark).length - inTransit);
  }

  private context(): { context: ExporterContext; engage: () => void; abort: () => void } {
    const killSwitch = new RuntimeKillSwitch({});
    const controller = new AbortController();
    const quiet = { debug() {}, info() {}, warn() {}, error() {} };
    const logger = new RecordingLogger(this.logged, quiet, "debug", undefined, this.registered).addSecrets(
      ...this.declared.filter((s): s is string => typeof s === "string"),
    );
    const context: ExporterContext = {
      destinationName: this.plugin.destinationName?.(this.parsed) ?? this.plugin.name,
      logger,
      resource: buildResource({}, this.env),
      killSwitch,
      defaultRedaction: (this.plugin.defaultRedaction?.(this.parsed) ?? []).map(toRedactor),
      env: this.env,
      shutdownSignal: controller.signal,
    };
    return {
      context,
      // As core does: engaging the switch drops the destination's queue and aborts its signal.
      engage: () => {
        killSwitch.engage();
        controller.abort();
      },
      abort: () => controller.abort(),
    };
  }

  private export(exporter: SpanExporter, spans: ReadableSpan[]): ExportCall {
    const call = callExport(exporter, spans);
    this.calls.push(call);
    void call.answered.then(() => {
      if (call.threw !== undefined) this.errors.push(errorText(call.threw));
      for (const result of call.results) if (result.error) this.errors.push(errorText(result.error));
    });
    return call;
  }

  private async settle(work: () => Promise<unknown> | undefined, ms: number): Promise<boolean> {
    let promise: Promise<unknown>;
    try {
      promise = Promise.resolve(work()).catch((error: unknown) => {
        this.errors.push(errorText(error));
      });
    } catch (error) {
      this.errors.push(errorText(error));
      return true;
    }
    return settlesIn(promise, ms);
  }

  /** create → export → forceFlush → shutdown against a receiver that accepts; then quiet. */
  private async checkHealthyLifecycle(): Promise<boolean> {
    let exporter: SpanExporter | undefined;
    const ctx = this.context();
    await this.record(C.creates, () => {
      exporter = this.plugin.create(this.parsed, ctx.context);
      if (!exporter || typeof exporter.export !== "function" || typeof exporter.shutdown !== "function") {
        exporter = undefined;
        return "the result has no export() or shutdown()";
      }
      this.exporters.push(exporter);
      return undefined;
    });
    if (!exporter) return false;
    const live = exporter;
    this.receiver.mode = "accept";
    await this.record(C.exports, async () => {
      const frozen = this.spans.map(deepFrozenCopy);
      const snapshot = JSON.stringify(frozen.map(describeSpan));
      const call = this.export(live, frozen);
      await settlesIn(call.answered, this.timeoutMs);
      await sleep(50); // a second callback, if any, comes soon after the first
      if (call.threw !== undefined) return `export() threw ${errorText(call.threw)}`;
      if (call.results.length === 0) return `export() did not call back within ${this.timeoutMs} ms`;
      if (call.results.length > 1) return `export() called back ${call.results.length} times`;
      if (JSON.stringify(frozen.map(describeSpan)) !== snapshot)
        return "export() changed the spans it was given";
      if (
        this.conformance.expectExportSuccess !== false &&
        call.results[0]!.code !== ExportResultCode.SUCCESS
      ) {
        return `export() failed: ${call.results[0]!.error?.message ?? "no error given"}`;
      }
      return undefined;
    });
    await this.record(C.flush, async () => {
      if (!live.forceFlush) return undefined;
      return (await this.settle(() => live.forceFlush?.(), this.timeoutMs))
        ? undefined
        : `forceFlush() did not settle within ${this.timeoutMs} ms`;
    });
    await this.record(C.shutdown, async () =>
      (await this.settle(() => live.shutdown(), this.timeoutMs))
        ? undefined
        : `shutdown() did not settle within ${this.timeoutMs} ms`,
    );
    await this.record(C.quietAfterShutdown, async () => {
      const mark = markNow();
      const call = this.export(live, this.spans.map(deepFrozenCopy));
      const answered = await settlesIn(call.answered, this.abortGraceMs);
      await sleep(this.watchMs);
      const problems: string[] = [];
      if (call.threw === undefined) {
        if (!answered) problems.push(`export() after shutdown did not answer within ${this.abortGraceMs} ms`);
        else if (call.results[0]?.code === ExportResultCode.SUCCESS)
          problems.push("export() after shutdown reported SUCCESS");
      }
      const noise = this.noise(mark, "");
      if (noise) problems.push(noise);
      return problems.join("; ") || undefined;
    });
    return true;
  }

  /**
   * The kill switch (or `shutdownSignal`) arrives while the plugin has a retry scheduled
   * (`retry`: the receiver answered 503 with Retry-After: 1) or a request in flight
   * (`inflight`: the receiver never answers). From then on nothing may leave.
   */
  private async checkSwitch(trigger: "kill" | "signal", phase: "retry" | "inflight"): Promise<void> {
    const name =
      trigger === "kill"
        ? phase === "retry"
          ? C.killRetry
          : C.killInFlight
        : phase === "retry"
          ? C.signalRetry
          : C.signalInFlight;
    await this.record(name, async () => {
      const ctx = this.context();
      const exporter = this.plugin.create(this.parsed, ctx.context);
      this.exporters.push(exporter);
      this.receiver.mode = phase === "retry" ? "fail" : "hold";
      const start = markNow();
      const call = this.export(exporter, this.spans.map(deepFrozenCopy));
      // A plugin that buffers sends on flush; the flush's own outcome is not this check's concern.
      void this.settle(() => exporter.forceFlush?.(), 0);
      const reached = await until(
        () => this.receiver.since(start).length > 0 || call.isAnswered(),
        Math.min(this.timeoutMs, 10_000),
      ).then(() => this.receiver.since(start).length > 0);
      if (reached && phase === "retry") {
        // Switch just after the 503 went out: the plugin schedules its retry around the switch,
        // never long before it (a short backoff could otherwise use up every attempt first).
        await until(() => this.receiver.since(start).some((r) => r.answered), this.abortGraceMs);
        await sleep(RETRY_SCHEDULE_MS);
      }

      let shutdown: Promise<boolean> | undefined;
      if (trigger === "signal") {
        // As core does when shutdown runs out of time: shutdown() first, the abort at the deadline.
        shutdown = this.settle(() => exporter.shutdown(), this.timeoutMs + this.abortGraceMs);
        await sleep(50);
      }
      const mark = markNow();
      if (trigger === "kill") ctx.engage();
      else ctx.abort();
      const settledAfterAbort = shutdown ? settlesIn(shutdown, this.abortGraceMs) : undefined;
      await sleep(this.watchMs);

      const problems: string[] = [];
      const noise = this.noise(mark, "after the switch: ", true);
      if (noise) problems.push(noise);
      if (phase === "inflight" && reached) {
        const stillOpen = this.receiver.since(start).filter((r) => r.abortedSeq === undefined && !r.answered);
        if (stillOpen.length > 0)
          problems.push(`the request in flight was not aborted within ${this.watchMs} ms`);
      }
      if (settledAfterAbort && !(await settledAfterAbort)) {
        problems.push(`shutdown() did not settle within ${this.abortGraceMs} ms of the abort`);
      }
      if (!call.isAnswered()) {
        await settlesIn(call.answered, this.abortGraceMs);
        if (!call.isAnswered()) problems.push("export() never answered after the switch");
      }
      this.receiver.release();
      if (trigger === "kill") await this.settle(() => exporter.shutdown(), this.abortGraceMs);
      else await shutdown;
      return {
        problem: problems.join("; ") || undefined,
        note: reached
          ? undefined
          : "the plugin sent nothing to the kit's receiver (are its options pointed at it?): only 'nothing is sent after the switch' was checked",
      };
    });
  }

  private async leftovers(
    handlesBefore: string[],
    filesBefore: Set<string> | undefined,
  ): Promise<string | undefined> {
    const deadline = Date.now() + HANDLE_GRACE_MS;
    for (;;) {
      const extra = subtract(activeHandles(), handlesBefore);
      // The receiver's own server-side sockets are the kit's, not the plugin's.
      let serverSockets = this.receiver.openConnections();
      const handles = extra.filter((h) => !(h === "TCPSocketWrap" && serverSockets-- > 0));
      const files = filesBefore ? [...((await openFiles()) ?? [])].filter((f) => !filesBefore.has(f)) : [];
      if (handles.length === 0 && files.length === 0) return undefined;
      if (Date.now() >= deadline) {
        const open = [...handles, ...files.map((f) => `file ${f.slice(f.indexOf(":") + 1)}`)];
        return `${open.length} still open after a ${HANDLE_GRACE_MS} ms grace: ${open.join(", ")}`;
      }
      await sleep(20);
    }
  }

  private checkSecrets(secrets: readonly KnownSecret[]): void {
    const sources: { where: string; text: string }[] = [
      ...this.output.printed.map((p) => ({ where: p.channel, text: p.text })),
      ...this.logged.map((l) => ({ where: `the context logger (${l.level})`, text: l.raw })),
      ...this.errors.map((text) => ({ where: "an error message", text })),
      { where: "describe()", text: this.described },
      { where: "output at import", text: this.importPrinted },
    ];
    const leaks = new Map<KnownSecret, string>();
    for (const { where, text } of sources) {
      for (const secret of secretsIn(text, secrets)) if (!leaks.has(secret)) leaks.set(secret, where);
    }
    const described = [...leaks].map(([secret, where]) => `${secret.from} in ${where}`);
    this.checks.push(
      described.length > 0
        ? { check: C.secretsKept, ok: false, problem: `raw secret written: ${described.join("; ")}` }
        : { check: C.secretsKept, ok: true },
    );
    const registered = (value: string) => this.registered.some((r) => r === value || r.includes(value));
    const undeclared = [...leaks.keys()]
      .filter((s) => !s.declared && !registered(s.value))
      .map((s) => s.from);
    this.checks.push(
      undeclared.length > 0
        ? {
            check: C.secretsDeclared,
            ok: false,
            problem: `secrets(options) does not return ${undeclared.join(", ")}, which it logs`,
          }
        : { check: C.secretsDeclared, ok: true },
    );
  }
}

interface Outcome {
  readonly problem: string | undefined;
  readonly note: string | undefined;
}

/**
 * `import()` that stays an import in the CJS build too (where a bundler turns `import(x)` into
 * `require(x)`, which cannot load an ES module or a file URL).
 */
async function importModule(specifier: string): Promise<unknown> {
  try {
    return await import(specifier);
  } catch (error) {
    const code = (error as { code?: string } | undefined)?.code;
    if (code !== "MODULE_NOT_FOUND" && code !== "ERR_REQUIRE_ESM") throw error;
    const nativeImport = new Function("specifier", "return import(specifier)") as (
      s: string,
    ) => Promise<unknown>;
    return nativeImport(specifier);
  }
}

async function sampleSpans(): Promise<ReadableSpan[]> {
  const memory = inMemoryDestination("conformance-sample");
  const telemetry = createTelemetry({ env: {}, destinations: [memory.destination] });
  await runSampleWorkflow(telemetry);
  await telemetry.shutdown({ timeoutMs: 1000 });
  return memory.spans();
}

function subtract(now: string[], before: string[]): string[] {
  const rest = [...now];
  for (const item of before) {
    const index = rest.indexOf(item);
    if (index >= 0) rest.splice(index, 1);
  }
  return rest;
}

function describeRequests(sent: readonly { via: string; target: string }[]): string {
  const kinds = [...new Set(sent.map((r) => `${r.via} to ${r.target}`))];
  return `${sent.length} time(s) (${kinds.slice(0, 3).join(", ")})`;
}

function firstLine(text: string): string {
  const line = text.trim().split("\n")[0] ?? "";
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
