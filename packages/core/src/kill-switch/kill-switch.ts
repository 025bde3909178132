import { type EnvSource, isDoNotTrack } from "./do-not-track.js";

/**
 * The run-time side of the kill switch: engaged by `telemetry.disable()` or by DO_NOT_TRACK
 * appearing in the environment after start. Core checks it before every export; plugins may
 * subscribe to drop their own client-side queues.
 */
export interface KillSwitch {
  isEngaged(): boolean;
  /** Runs `listener` once when the switch engages (immediately if it already is). Returns an unsubscribe. */
  onEngage(listener: () => void): () => void;
}

export class RuntimeKillSwitch implements KillSwitch {
  private engaged = false;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly env: EnvSource) {}

  isEngaged(): boolean {
    if (!this.engaged && isDoNotTrack(this.env)) this.engage();
    return this.engaged;
  }

  engage(): void {
    if (this.engaged) return;
    this.engaged = true;
    for (const listener of this.listeners) {
      try {
        listener();
      } catch {
        // A plugin's listener must not stop the others from hearing the switch.
      }
    }
    this.listeners.clear();
  }

  onEngage(listener: () => void): () => void {
    if (this.isEngaged()) {
      listener();
      return () => {};
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
