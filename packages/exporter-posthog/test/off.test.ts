import { createTelemetry } from "@pipelex/telemetry-core";
import { defineExporter } from "@pipelex/telemetry-core/plugin";
import { describe, expect, it } from "vitest";
import { type PosthogOptions, posthogPlugin } from "../src/index.js";
import { captureLogs, receiverOptions, runWorkflow, withReceiver } from "./helpers.js";

/** `${NAME}`, as an unresolved TOML substitution looks. */
const placeholder = (name: string) => ["$", "{", name, "}"].join("");

/** The plugin with a counter on create(): "no client is even created" is observable. */
function countingPlugin() {
  const calls = { create: 0 };
  const plugin = defineExporter<PosthogOptions>({
    ...posthogPlugin,
    create: (options, context) => {
      calls.create++;
      return posthogPlugin.create(options, context);
    },
  });
  return { plugin, calls };
}

describe("zero requests", () => {
  it.each([
    ["mode off", { mode: "off" as const }],
    ["tracing disabled", { tracing: { enabled: false } }],
    ["the defaults (mode off, tracing off)", { mode: undefined, tracing: undefined }],
  ])("%s: the destination is off, no client is created, nothing is sent", async (_label, overrides) => {
    await withReceiver(async (receiver) => {
      const { plugin, calls } = countingPlugin();
      const spec = plugin.toDestination(receiverOptions(receiver, overrides));
      expect(spec.enabled).toBe(false);
      const telemetry = createTelemetry({ env: {}, destinations: [spec], logger: captureLogs() });
      expect(telemetry.enabled).toBe(false);
      await runWorkflow(telemetry);
      await telemetry.shutdown({ timeoutMs: 1000 });
      expect(calls.create).toBe(0);
      expect(receiver.http.requests).toHaveLength(0);
    });
  });

  it("mode off needs no endpoint or key, even unresolved ones", () => {
    expect(
      posthogPlugin.toDestination({
        mode: "off",
        endpoint: placeholder("POSTHOG_ENDPOINT"),
        apiKey: placeholder("POSTHOG_API_KEY"),
      }).enabled,
    ).toBe(false);
  });

  it.each(["1", "true", "yes", ""])(
    "DO_NOT_TRACK=%j: no client is created and nothing is sent",
    async (value) => {
      await withReceiver(async (receiver) => {
        const { plugin, calls } = countingPlugin();
        const telemetry = createTelemetry({
          env: { DO_NOT_TRACK: value },
          destinations: [plugin.toDestination(receiverOptions(receiver))],
          logger: captureLogs(),
        });
        expect(telemetry.enabled).toBe(false);
        await runWorkflow(telemetry);
        await telemetry.forceFlush();
        await telemetry.shutdown({ timeoutMs: 1000 });
        expect(calls.create).toBe(0);
        expect(receiver.http.requests).toHaveLength(0);
      });
    },
  );

  it("the same options with DO_NOT_TRACK unset do send (the tests above can fail)", async () => {
    await withReceiver(async (receiver) => {
      const { plugin, calls } = countingPlugin();
      const telemetry = createTelemetry({
        env: { DO_NOT_TRACK: "0" },
        destinations: [plugin.toDestination(receiverOptions(receiver))],
        logger: captureLogs(),
      });
      await runWorkflow(telemetry);
      await telemetry.shutdown({ timeoutMs: 5000 });
      expect(calls.create).toBe(1);
      expect(receiver.events.length).toBe(6);
    });
  });
});
