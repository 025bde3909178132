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
}

export type ResolvedDeliveryOptions = Required<DeliveryOptions>;

export const DEFAULT_DELIVERY: ResolvedDeliveryOptions = {
  maxQueueSize: 2048,
  maxExportBatchSize: 512,
  scheduledDelayMillis: 5000,
  exportTimeoutMillis: 30_000,
};

export function resolveDelivery(options: DeliveryOptions | undefined): ResolvedDeliveryOptions {
  const merged = { ...DEFAULT_DELIVERY, ...stripUndefined(options ?? {}) };
  for (const [key, value] of Object.entries(merged)) {
    if (!Number.isFinite(value) || value < (key === "scheduledDelayMillis" ? 0 : 1)) {
      throw new RangeError(`delivery option ${key} must be a positive number, got ${value}`);
    }
  }
  merged.maxExportBatchSize = Math.min(merged.maxExportBatchSize, merged.maxQueueSize);
  return merged;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
