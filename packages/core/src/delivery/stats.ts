/** Why spans did not reach a destination. */
export interface DroppedCounts {
  /** The destination's queue was full (the exporter is slow, hanging, or down). */
  queueFull: number;
  /** A redactor threw: fail closed, the span was not sent to this destination. */
  redactionError: number;
  /** DO_NOT_TRACK or `telemetry.disable()` engaged while the span was queued. */
  killSwitch: number;
  /** The exporter reported failure or did not answer within the export timeout. */
  exportFailed: number;
  /** Still queued or in flight when `shutdown` ran out of time. */
  shutdownTimeout: number;
  /**
   * Still queued or in flight when the process was about to exit without `shutdown()` (Node's
   * `beforeExit`), after the bounded exit flush.
   */
  processExit: number;
}

export interface DestinationStats {
  /** Spans the exporter accepted. */
  exported: number;
  /** Spans the redaction policy chose to drop (a redactor returned null): not a failure. */
  filtered: number;
  /** Spans waiting now: in the queue, or taken off it and being redacted (not yet the exporter's). */
  queued: number;
  dropped: DroppedCounts;
}

export function emptyStats(): DestinationStats {
  return {
    exported: 0,
    filtered: 0,
    queued: 0,
    dropped: {
      queueFull: 0,
      redactionError: 0,
      killSwitch: 0,
      exportFailed: 0,
      shutdownTimeout: 0,
      processExit: 0,
    },
  };
}

export interface DestinationShutdownReport {
  exported: number;
  /** Spans that never reached the destination, for any reason (sum of `dropped`). */
  notDelivered: number;
  dropped: DroppedCounts;
  /** True when the destination had not finished by the deadline. */
  timedOut: boolean;
}

export interface ShutdownReport {
  /** True when every destination finished within the timeout. */
  complete: boolean;
  durationMs: number;
  destinations: Record<string, DestinationShutdownReport>;
}
