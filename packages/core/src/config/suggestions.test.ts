import { describe, expect, it } from "vitest";
import { closestMatch, describeUnknownName, editDistance } from "./suggestions.js";

describe("suggestions", () => {
  it("counts a swap of two neighbours as one edit", () => {
    expect(editDistance("enabeld", "enabled")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("api_key", "api_key")).toBe(0);
  });

  it("suggests a near miss, ignoring case, and nothing for a far one", () => {
    const keys = ["enabled", "endpoint", "public_key", "secret_key"];
    expect(closestMatch("enabeld", keys)).toBe("enabled");
    expect(closestMatch("Public_Key", keys)).toBe("public_key");
    expect(closestMatch("secret", keys)).toBe("secret_key");
    expect(closestMatch("colour", keys)).toBeUndefined();
    expect(closestMatch("mode", ["user_id", "debug"])).toBeUndefined();
    expect(closestMatch("posthog", ["custom_posthog", "langfuse", "custom_portkey"])).toBe("custom_posthog");
    expect(closestMatch("custom", ["custom_posthog", "custom_portkey"])).toBeUndefined();
    expect(closestMatch("force_debug", ["force_debug_enabled", "force_tracing_enabled"])).toBe(
      "force_debug_enabled",
    );
  });

  it("lists the valid names and the suggestion", () => {
    expect(describeUnknownName("key", "enpoint", ["enabled", "endpoint"])).toEqual({
      message: 'unknown key; did you mean "endpoint"?',
      expected: "one of enabled, endpoint",
    });
  });
});

describe("describeUnknownName without a near miss", () => {
  it("lists the valid names only", () => {
    expect(describeUnknownName("section", "zzz", ["langfuse", "otlp"])).toEqual({
      message: "unknown section",
      expected: "one of langfuse, otlp",
    });
  });
});
