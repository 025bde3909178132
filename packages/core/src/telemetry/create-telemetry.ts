import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { DestinationPipeline } from "../delivery/destination-pipeline.js";
import { registerExitFlush } from "../delivery/exit-flush.js";
import { resolveDelivery } from "../delivery/options.js";
import type { DestinationStats, ShutdownReport } from "../delivery/stats.js";
import { GatewayDoNotTrackConflictError, TelemetryConfigError } from "../errors.js";
import { defaultEnv, type EnvSource, isDoNotTrack } from "../kill-switch/do-not-track.js";
import { RuntimeKillSwitch } from "../kill-switch/kill-switch.js";
import { allowManyAbortListeners } from "../plugin/delivery/abort-scope.js";
import { type DestinationSpec, isDestinationSpec } from "../plugin/destination-spec.js";
import { type LogLevel, MaskingLogger, RateLimitedWarning, type TelemetryLogger } from "../plugin/logger.js";
import { KnownSecrets, scrubKnownSecrets, scrubLateSecrets } from "../redaction/known-secrets.js";
import { composeRedactors } from "../redaction/redactor.js";
import { createContextStore } from "../span/context-store.js";
import { PeekableIdGenerator } from "../span/peekable-id-generator.js";
import { CORE_PACKAGE_NAME, CORE_VERSION } from "../version.js";
import { FanOutSpanProcessor } from "./fan-out-processor.js";
import { UNKNOWN_FIELD } from "./info-fields.js";
import { createNoopTelemetry, NOOP_CALL } from "./noop-telemetry.js";
import { buildResource, type ResourceOptions } from "./resource.js";
import { type PipeFrame, SpanRecorder } from "./span-recorder.js";
import type { InferenceCall, InferenceInfo, PipeRunInfo, ShutdownOptions, Telemetry } from "./types.js";

export interface CreateTelemetryOptions extends ResourceOptions {
  /** Where DO_NOT_TRACK (and other variables) are read. Default `process.env` where there is one. */
  env?: EnvSource;
  /** Falsy entries are skipped, so `cond && posthog({...})` works. */
  destinations?: readonly (DestinationSpec | false | null | undefined)[];
  /** Where telemetry's own warnings go (masked). Default console. */
  logger?: TelemetryLogger;
  /** Default `warn`. */
  logLevel?: LogLevel;
  /**
   * The `fetch` exporters send with (`context.fetch`), for exporters that honour it. The CLI's
   * `preview` passes a capture fetch so nothing leaves the machine. Default: their own.
   */
  fetch?: typeof fetch;
}

const DEFAULT_SHUTDOWN_TIMEOUT_MS = 5000;

/**
 * Builds a telemetry instance from destinations. Under DO_NOT_TRACK returns the no-op telemetry
 * without creating any exporter, or throws GatewayDoNotTrackConflictError when a mandatory
 * destination (the gateway stream) is among them.
 */
export function createTelemetry(options: CreateTelemetryOptions = {}): Telemetry {
  const env = options.env ?? defaultEnv();
  const specs = validateDestinations(options.destinations ?? []);
  if (isDoNotTrack(env)) {
    if (specs.some((spec) => spec.mandatory)) throw new GatewayDoNotTrackConflictError();
    return createNoopTelemetry("DO_NOT_TRACK is set");
  }
  if (specs.length === 0) return createNoopTelemetry("no destination is on");
  return new ActiveTelemetry(specs, env, options);
}

function validateDestinations(entries: readonly unknown[]): DestinationSpec[] {
  const specs: DestinationSpec[] = [];
  const names = new Set<string>();
  entries.forEach((entry, index) => {
    if (!entry) return;
    if (!isDestinationSpec(entry)) {
      throw new TelemetryConfigError("is not a destination", {
        keyPath: `destinations[${index}]`,
        expected:
          "the result of destination(), posthog(), langfuse(), otlp(), gatewayStream() or a plugin factory",
      });
    }
    if (!entry.enabled) return;
    if (names.has(entry.name)) {
      throw new TelemetryConfigError(`two destinations are named "${entry.name}"`, {
        keyPath: `destinations[${index}].name`,
        expected: "unique destination names",
      });
    }
    names.add(entry.name);
    specs.push(entry);
  });
  return specs;
}

class ActiveTelemetry implements Telemetry {
  readonly destinations: readonly string[];
  private readonly pipelines: DestinationPipeline[];
  private readonly processor: FanOutSpanProcessor;
  private readonly recorder: SpanRecorder;
  private readonly killSwitch: RuntimeKillSwitch;
  private readonly specs: readonly DestinationSpec[];
  private active = true;
  /** Fields of pipeRun/inference info that were malformed and replaced (see info-fields.ts). */
  private malformedFields = 0;
  private stoppedReason: string | undefined;
  private shutdownPromise: Promise<ShutdownReport> | undefined;
  /** Unregisters the bounded flush at process exit (done by shutdown and the kill switch). */
  private readonly unregisterExitFlush: () => void;

  constructor(specs: DestinationSpec[], env: EnvSource, options: CreateTelemetryOptions) {
    this.specs = specs;
    this.destinations = specs.map((s) => s.name);
    this.killSwitch = new RuntimeKillSwitch(env);
    // Every secret any destination declares or registers later, scrubbed from every destination's spans.
    const secrets = new KnownSecrets();
    const rootLogger = new MaskingLogger(options.logger, options.logLevel ?? "warn", undefined, (value) =>
      secrets.add(value),
    );
    const resource = buildResource(options, env);

    const created = specs.map((spec) => {
      const logger = rootLogger.child(spec.name).addSecrets(...(spec.secrets ?? []));
      const abortController = new AbortController();
      allowManyAbortListeners(abortController.signal);
      const exporter = spec.createExporter({
        destinationName: spec.name,
        logger,
        resource,
        killSwitch: this.killSwitch,
        defaultRedaction: spec.redact,
        env,
        shutdownSignal: abortController.signal,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
      return { spec, logger, abortController, exporter };
    });
    // Known once every exporter has registered its own. With none yet, a guard that passes spans
    // through untouched while the list is empty keeps full-data destinations copy-free, and still
    // scrubs a secret a plugin registers later (a key from the environment or remote config).
    const scrub = [secrets.size > 0 ? scrubKnownSecrets(secrets) : scrubLateSecrets(secrets)];
    this.pipelines = created.map(({ spec, logger, abortController, exporter }) => {
      const redactor = composeRedactors(...scrub, ...spec.redact);
      return new DestinationPipeline(
        spec.name,
        exporter,
        redactor,
        resolveDelivery(spec.delivery),
        this.killSwitch,
        logger,
        abortController,
      );
    });

    this.processor = new FanOutSpanProcessor(this.pipelines);
    const ids = new PeekableIdGenerator();
    const problems = new RateLimitedWarning(rootLogger);
    const provider = new BasicTracerProvider({
      resource,
      spanProcessors: [this.processor],
      idGenerator: ids,
    });
    const withContent = specs.some(receivesContent);
    const malformed = new RateLimitedWarning(rootLogger);
    this.recorder = new SpanRecorder(
      provider.getTracer(CORE_PACKAGE_NAME, CORE_VERSION),
      createContextStore<PipeFrame>(),
      withContent,
      ids,
      (where, error) =>
        problems.warn(
          `${where}: could not record a span (${error instanceof Error ? error.name : typeof error}); the call ran unrecorded`,
        ),
      // Names the field and the kind of value, never the value: it may be anything the app holds.
      (field, found) => {
        this.malformedFields++;
        malformed.warn(
          `${field} should be a string (or a finite number for numeric params) but is ${found}: recorded as absent or "${UNKNOWN_FIELD}" (${this.malformedFields} malformed field(s) so far)`,
        );
      },
    );

    this.unregisterExitFlush = registerExitFlush({
      needsExitFlush: () => this.pipelines.some((p) => p.needsExitFlush()),
      flushAtExit: async (ms) => {
        await Promise.all(this.pipelines.map((p) => p.flushAtExit(ms)));
      },
      countAtExit: () => {
        for (const p of this.pipelines) p.countAtExit();
      },
    });

    this.killSwitch.onEngage(() => {
      this.unregisterExitFlush();
      this.deactivate("the kill switch is engaged");
      for (const pipeline of this.pipelines) pipeline.dropEverything();
    });
  }

  /** False once shut down or switched off: from then on calls run unrecorded. */
  get enabled(): boolean {
    return this.active;
  }

  get disabledReason(): string | undefined {
    return this.stoppedReason;
  }

  pipeRun<T>(info: PipeRunInfo, fn: () => T): T {
    return this.active ? this.recorder.pipeRun(info, fn) : fn();
  }

  inference<T>(info: InferenceInfo, fn: (call: InferenceCall) => T): T {
    return this.active ? this.recorder.inference(info, fn) : fn(NOOP_CALL);
  }

  stats(): Record<string, DestinationStats> {
    const result: Record<string, DestinationStats> = {};
    for (const pipeline of this.pipelines) result[pipeline.name] = pipeline.stats();
    return result;
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.pipelines.map((p) => p.forceFlush()));
  }

  shutdown(options: ShutdownOptions = {}): Promise<ShutdownReport> {
    this.shutdownPromise ??= this.runShutdown(options.timeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS);
    return this.shutdownPromise;
  }

  private async runShutdown(timeoutMs: number): Promise<ShutdownReport> {
    const started = Date.now();
    this.unregisterExitFlush();
    this.deactivate("shut down");
    this.processor.close();
    const deadline = started + timeoutMs;
    const reports = await Promise.all(this.pipelines.map((p) => p.shutdown(deadline)));
    const destinations = Object.fromEntries(this.pipelines.map((p, i) => [p.name, reports[i]!]));
    return { complete: reports.every((r) => !r.timedOut), durationMs: Date.now() - started, destinations };
  }

  disable(): void {
    this.killSwitch.engage();
  }

  async ready(): Promise<void> {
    await Promise.all(this.specs.map((spec) => spec.ready?.()));
  }

  private deactivate(reason: string): void {
    this.active = false;
    this.stoppedReason ??= reason;
  }
}

function receivesContent(spec: DestinationSpec): boolean {
  return spec.receivesContent ?? !spec.redact.some((r) => r.removesContent);
}
