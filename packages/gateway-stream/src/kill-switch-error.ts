import { GatewayDoNotTrackConflictError } from "@pipelex/telemetry-core";

/**
 * The kill switch was engaged at run time (`telemetry.disable()`), not by DO_NOT_TRACK. It is the
 * same conflict, so it is a GatewayDoNotTrackConflictError for `instanceof` checks, with a
 * message that says what actually happened.
 */
export class GatewayKillSwitchError extends GatewayDoNotTrackConflictError {
  constructor() {
    super();
    this.name = "GatewayKillSwitchError";
    this.message =
      "The Pipelex Gateway requires telemetry, and telemetry was switched off at run time (telemetry.disable(), the kill switch). " +
      "The switch is respected: nothing more is sent, so the gateway cannot be used. To proceed, create a new telemetry " +
      "instance with gatewayStream(), or stop using the gateway and use your own provider keys.";
  }
}
