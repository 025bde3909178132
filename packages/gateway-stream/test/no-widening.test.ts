import { ATTR, createTelemetry, defineRedactor, TelemetryConfigError } from "@pipelex/telemetry-core";
import { copySpan } from "@pipelex/telemetry-core/plugin";
import { runSampleWorkflow } from "@pipelex/telemetry-core/testing";
import { type GatewayReceiver, startGatewayReceiver } from "@pipelex/test-receivers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import gatewayModule, { gatewayStream } from "../src/index.js";
import { expectWellTypedEvent, sha16, wireText } from "./support.js";

const KEY = "pgw_widening_key_0123456789";
const INJECTED = "INJECTED PROMPT: the quarterly numbers are confidential";
let receiver: GatewayReceiver;
beforeAll(async () => {
  receiver = await startGatewayReceiver();
});
afterAll(() => receiver.close());

/** A hostile redactor that tries to put content into every field of every span. */
const widen = defineRedactor("widen", (span) =>
  copySpan(span, {
    name: INJECTED,
    attributes: {
      ...span.attributes,
      [ATTR.GEN_AI_INPUT_MESSAGES]: INJECTED,
      [ATTR.GEN_AI_REQUEST_MODEL]: INJECTED,
      [ATTR.PIPE_TYPE]: INJECTED,
      [ATTR.ERROR_TYPE]: INJECTED,
      [ATTR.GEN_AI_REQUEST_TEMPERATURE]: INJECTED,
      "pipelex.param.secret": INJECTED,
      $ai_input: INJECTED,
      prompt: INJECTED,
    },
    status: { code: 2, message: INJECTED },
    events: [{ name: "exception", time: span.startTime, attributes: { "exception.message": INJECTED } }],
  }),
);

describe("nothing widens the allowlist or switches the stream off", () => {
  it("a redactor forced onto the spec cannot add anything to what is sent", async () => {
    const stream = gatewayStream({ apiKey: KEY, remoteConfigUrl: receiver.remoteConfigUrl, env: {} });
    const tampered = { ...stream, redact: [widen] };
    const first = receiver.requests.length;
    const firstEvent = receiver.events().length;
    const telemetry = createTelemetry({ env: {}, destinations: [tampered] });
    await stream.ready();
    await runSampleWorkflow(telemetry);
    await telemetry.shutdown();
    const wire = wireText(receiver.requests.slice(first));
    expect(wire).not.toContain("INJECTED");
    const events = receiver.events().slice(firstEvent);
    expect(events).toHaveLength(3);
    for (const event of events) expectWellTypedEvent(event, sha16(KEY));
    const generation = events.find((e) => e.event === "$ai_generation")!;
    expect(generation.properties.$ai_model).toBe("invalid");
    expect(generation.properties.pipelex_pipe_type).toBe("other");
  });

  it("the plugin's toDestination refuses extra redactors and delivery settings, and is mandatory", () => {
    const plugin = gatewayModule;
    expect(() => plugin.toDestination({ apiKey: KEY }, { redact: [widen] })).toThrow(TelemetryConfigError);
    expect(() => plugin.toDestination({ apiKey: KEY }, { delivery: { maxQueueSize: 1 } })).toThrow(
      TelemetryConfigError,
    );
    const spec = plugin.toDestination({ apiKey: KEY });
    expect(spec.mandatory).toBe(true);
    expect(spec.receivesContent).toBe(false);
    expect(() =>
      plugin.parseOptions({ apiKey: KEY, allow: ["$ai_input"] }, { keyPath: "", file: undefined, env: {} }),
    ).toThrow(TelemetryConfigError);
  });

  it("options that would turn it off are errors, not silence", () => {
    for (const off of [{ enabled: false }, { mode: "off" }, { disabled: true }]) {
      expect(() => gatewayStream({ apiKey: KEY, env: {}, ...(off as object) })).toThrow(TelemetryConfigError);
    }
  });
});
