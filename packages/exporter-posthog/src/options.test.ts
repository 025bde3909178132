import { InvalidEndpointError, TelemetryConfigError } from "@pipelex/telemetry-core/plugin";
import { describe, expect, it } from "vitest";
import {
  deliveryFor,
  isPosthogEnabled,
  POSTHOG_DEFAULTS,
  parsePosthogOptions,
  resolveSettings,
} from "./options.js";

/** `${NAME}`, as an unresolved TOML substitution looks. */
const placeholder = (name: string) => ["$", "{", name, "}"].join("");

const on = {
  mode: "anonymous",
  endpoint: "https://eu.i.posthog.com",
  apiKey: "phc_abcdefghijklmnop",
  tracing: { enabled: true },
};

describe("parsePosthogOptions", () => {
  it("defaults to off, like the TOML template", () => {
    const options = parsePosthogOptions({});
    expect(options.mode).toBe("off");
    expect(options.tracing).toEqual({
      enabled: false,
      capture: { content: false, pipeCodes: false, outputClassNames: false },
    });
    expect(options.redactProperties).toEqual(["prompt", "system_prompt", "response", "file_path", "url"]);
    expect(isPosthogEnabled(options)).toBe(false);
  });

  it("is on only with a mode other than off AND tracing enabled", () => {
    expect(isPosthogEnabled(parsePosthogOptions(on))).toBe(true);
    expect(isPosthogEnabled(parsePosthogOptions({ ...on, tracing: { enabled: false } }))).toBe(false);
    expect(isPosthogEnabled(parsePosthogOptions({ ...on, mode: "off" }))).toBe(false);
  });

  it("rejects unknown keys and wrong types with TelemetryConfigError", () => {
    expect(() => parsePosthogOptions({ ...on, host: "x" })).toThrow(TelemetryConfigError);
    expect(() => parsePosthogOptions({ ...on, mode: "loud" })).toThrow(/mode/);
    expect(() => parsePosthogOptions(42)).toThrow(TelemetryConfigError);
  });

  it("defaults the endpoint to PostHog's US cloud, as Python does, and names an unresolved variable", () => {
    expect(parsePosthogOptions({ ...on, endpoint: undefined }).endpoint).toBe("https://us.i.posthog.com");
    expect(() => parsePosthogOptions({ ...on, endpoint: placeholder("POSTHOG_ENDPOINT") })).toThrow(
      /POSTHOG_ENDPOINT/,
    );
  });

  it("requires https except on loopback, and no credentials in the URL", () => {
    expect(() => parsePosthogOptions({ ...on, endpoint: "http://posthog.example.com" })).toThrow(
      InvalidEndpointError,
    );
    expect(() => parsePosthogOptions({ ...on, endpoint: "https://user:pw@posthog.example.com" })).toThrow(
      InvalidEndpointError,
    );
    expect(() => parsePosthogOptions({ ...on, endpoint: "http://127.0.0.1:8000" })).not.toThrow();
  });

  it("requires the API key, naming the key path under ctx.keyPath (camelCase: core spells it as in the file) and never the value", () => {
    expect(() => parsePosthogOptions({ ...on, apiKey: undefined })).toThrow(/apiKey/);
    try {
      parsePosthogOptions(
        { ...on, apiKey: placeholder("POSTHOG_API_KEY") },
        { file: "/p/.pipelex/telemetry.toml", keyPath: "custom_posthog", env: {} },
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TelemetryConfigError);
      expect((error as TelemetryConfigError).keyPath).toBe("custom_posthog.apiKey");
      expect((error as Error).message).toContain("POSTHOG_API_KEY");
      expect((error as Error).message).toContain("telemetry.toml");
    }
  });

  it('mode "identified" requires a user id', () => {
    expect(() => parsePosthogOptions({ ...on, mode: "identified" })).toThrow(/user id/);
    expect(parsePosthogOptions({ ...on, mode: "identified", userId: "u1" }).userId).toBe("u1");
  });

  it("a section that is off may keep unresolved placeholders", () => {
    expect(() =>
      parsePosthogOptions({
        endpoint: placeholder("POSTHOG_ENDPOINT"),
        apiKey: placeholder("POSTHOG_API_KEY"),
      }),
    ).not.toThrow();
  });
});

describe("resolveSettings and deliveryFor", () => {
  it("uses posthog-node's defaults and maps the queue settings onto core's queue", () => {
    const settings = resolveSettings(parsePosthogOptions({ ...on, endpoint: "https://eu.i.posthog.com/" }));
    expect(settings.host).toBe("https://eu.i.posthog.com");
    expect(settings).toMatchObject(POSTHOG_DEFAULTS);
    const delivery = deliveryFor(settings);
    expect(delivery).toMatchObject({
      maxQueueSize: 10_000,
      exportTriggerSize: 20,
      maxExportBatchSize: 1000,
      maxConcurrentExports: 2,
      scheduledDelayMillis: 5000,
    });
    // Core's timeout sits above the exporter's own budget (4 attempts of 10 s + 3 waits).
    expect(settings.exportBudgetMs).toBeGreaterThanOrEqual(4 * 10_000 + (3000 + 6000 + 12000) * 1.2);
    expect(delivery.exportTimeoutMillis!).toBeGreaterThan(settings.exportBudgetMs);
  });

  it("takes the user's values", () => {
    const settings = resolveSettings(
      parsePosthogOptions({
        ...on,
        flushAt: 5,
        flushInterval: 0,
        maxQueueSize: 50,
        fetchRetryCount: 0,
        requestTimeout: 1000,
      }),
    );
    expect(deliveryFor(settings)).toMatchObject({
      maxQueueSize: 50,
      exportTriggerSize: 5,
      maxExportBatchSize: 50,
      scheduledDelayMillis: 0,
    });
    expect(settings.exportBudgetMs).toBe(1000);
  });
});
