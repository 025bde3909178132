/** Per-destination queue settings. Defaults match OpenTelemetry's BatchSpanProcessor. */
export interface DeliveryOptions {
  /** Spans held before new ones are dropped (counted as `queueFull`). Default 2048. */
  maxQueueSize?: number;
  /** Spans per export call. Default 512. */
  maxExportBatchSize?: number;
  /** Delay before a partial batch is exported. Default 5000 ms. */
  scheduledDelayMillis?: number;
  /** An export call that has not answered by then is counted as failed. Default 30000 ms. */
  exportTimeoutMillis?: number;
  /**
   * Queued spans that start an export before `scheduledDelayMillis` (posthog-node's `flushAt`).
   * Default `maxExportBatchSize`. Under load an export still takes up to `maxExportBatchSize`.
   */
  exportTriggerSize?: number;
  /**
   * Exports in flight at once when the queue holds more than one batch. Default 1 (OpenTelemetry's
   * BatchSpanProcessor); destinations that must keep up with heavy traffic raise it.
   */
  maxConcurrentExports?: number;
}

export type ResolvedDeliveryOptions = Required<DeliveryOptions>;

export const DEFAULT_DELIVERY: Omit<ResolvedDeliveryOptions, "exportTriggerSize"> = {
  maxQueueSize: 2048,
  maxExportBatchSize: 512,
  scheduledDelayMillis: 5000,
  exportTimeoutMillis: 30_000,
  maxConcurrentExports: 1,
};

export function resolveDelivery(options: DeliveryOptions | undefined): ResolvedDeliveryOptions {
  const given = stripUndefined(options ?? {});
  const merged: ResolvedDeliveryOptions = {
    ...DEFAULT_DELIVERY,
    exportTriggerSize: given.maxExportBatchSize ?? DEFAULT_DELIVERY.maxExportBatchSize,
    ...given,
  };
  for (const [key, value] of Object.entries(merged)) {
    if (!Number.isFinite(value) || value < (key === "scheduledDelayMillis" ? 0 : 1)) {
      throw new RangeError(`delivery option ${key} must be a positive number, got ${value}`);
    }
  }
  merged.maxExportBatchSize = Math.min(merged.maxExportBatchSize, merged.maxQueueSize);
  merged.exportTriggerSize = Math.min(merged.exportTriggerSize, merged.maxExportBatchSize);
  merged.maxConcurrentExports = Math.floor(merged.maxConcurrentExports);
  return merged;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
