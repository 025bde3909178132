import type { Resource } from "@opentelemetry/resources";
import type { EnvSource } from "../kill-switch/do-not-track.js";
import type { KillSwitch } from "../kill-switch/kill-switch.js";
import type { Redactor } from "../redaction/redactor.js";
import type { MaskingLogger } from "./logger.js";

/** What core hands a plugin's `create(options, context)`. */
export interface ExporterContext {
  /** The destination's name, as shown in stats and logs. */
  readonly destinationName: string;
  /** Masks registered secrets and key-shaped strings in every line. Register yours with `addSecrets`. */
  readonly logger: MaskingLogger;
  /** The telemetry instance's resource (service.name, service.version, ...). */
  readonly resource: Resource;
  /** Engaged by DO_NOT_TRACK or `telemetry.disable()`: drop client-side queues when it fires. */
  readonly killSwitch: KillSwitch;
  /** The redaction policy core applies to this destination before `export` (for information). */
  readonly defaultRedaction: readonly Redactor[];
  /** The environment telemetry was created with. */
  readonly env: EnvSource;
  /** Aborted when `shutdown` runs out of time: pass it to in-flight requests. */
  readonly shutdownSignal: AbortSignal;
  /**
   * The fetch to send with, when core provides one (the CLI's `preview` passes an in-process
   * capture). The delivery toolkit's transport uses it; plugins that do not should too.
   */
  readonly fetch?: typeof fetch;
}
