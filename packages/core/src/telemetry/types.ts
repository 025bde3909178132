import type { DestinationStats, ShutdownReport } from "../delivery/stats.js";

export interface PipeRunInfo {
  runId: string;
  pipeCode: string;
  pipeType: string;
  pipeCategory?: string;
  userId?: string;
  sessionId?: string;
}

export interface InferenceParams {
  temperature?: number;
  maxTokens?: number;
  seed?: number;
  width?: number;
  height?: number;
  structuringMethod?: string;
  /** Unknown keys are kept only as full-data attributes (`pipelex.params`, JSON), never by the gateway. */
  [key: string]: unknown;
}

export interface InferenceInfo {
  model: string;
  provider: string;
  /** GenAI operation name: `chat`, `text_completion`, `generate_content`, `image_generation`, ... */
  operation: string;
  /** `text`, `json`, `image`, ... */
  outputType?: string;
  outputClassName?: string;
  jobId?: string;
  params?: InferenceParams;
}

export interface Usage {
  inputTokens?: number;
  outputTokens?: number;
}

/** Content may be passed as a value or as a function; neither is touched unless a destination may receive content. */
export type Lazy<T> = T | (() => T);

/** The handle an `inference` callback gets. Every method is safe to call any number of times. */
export interface InferenceCall {
  recordInput(messages: Lazy<unknown>): void;
  recordOutput(output: Lazy<unknown>): void;
  recordUsage(usage: Usage): void;
  recordResponseModel(name: string): void;
}

export interface ShutdownOptions {
  /** Default 5000 ms. */
  timeoutMs?: number;
}

export interface Telemetry {
  /** False for the no-op telemetry (DO_NOT_TRACK, or no destination on), and after `disable()` or `shutdown()`. */
  readonly enabled: boolean;
  /** Why it is off, when it is. */
  readonly disabledReason: string | undefined;
  /** Names of the active destinations. */
  readonly destinations: readonly string[];
  /** Runs `fn` inside a pipe span; returns what it returns, rethrows what it throws. */
  pipeRun<T>(info: PipeRunInfo, fn: () => T): T;
  /** Runs `fn` inside an LLM/image call span nested under the current pipe span. */
  inference<T>(info: InferenceInfo, fn: (call: InferenceCall) => T): T;
  /** Per destination: what was exported and what was dropped, by reason. */
  stats(): Record<string, DestinationStats>;
  forceFlush(): Promise<void>;
  /** Flushes and stops every destination; resolves within `timeoutMs` and reports what was not delivered. */
  shutdown(options?: ShutdownOptions): Promise<ShutdownReport>;
  /** Engages the kill switch at run time: queued data is dropped, nothing more is recorded or sent. */
  disable(): void;
  /** Resolves when every destination can send (e.g. the gateway's remote config is loaded). */
  ready(): Promise<void>;
}
