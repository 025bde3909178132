// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` placeholders in plain strings are what these tests are about
import { describe, expect, it } from "vitest";
import { scanPlaceholders } from "./placeholders.js";
import { findUnresolved, issuesUnder, resolvePlaceholders, substituteEnv } from "./substitute.js";

const SECRET_VALUE = "phc_secret_value_never_shown_0000";

describe("placeholder substitution", () => {
  it("resolves ${VAR} and ${env:VAR} from the environment, leaving an unset one in place", async () => {
    const { value, issues } = await resolvePlaceholders(
      { a: "${A}", b: ["x-${env:B}-y"], c: { d: "${UNSET}" }, n: 3 },
      { env: { A: "1", B: "2" } },
    );
    expect(value).toEqual({ a: "1", b: ["x-2-y"], c: { d: "${UNSET}" }, n: 3 });
    expect(issues).toEqual([]);
  });

  it("resolves ${secret:NAME} and chains through a provider, asking once per name", async () => {
    const asked: string[] = [];
    const secrets = async (name: string) => {
      asked.push(name);
      return name === "posthog_key" ? SECRET_VALUE : undefined;
    };
    const { value, issues } = await resolvePlaceholders(
      {
        api_key: "${secret:posthog_key}",
        again: "${secret:posthog_key}",
        chain: "${env:POSTHOG_API_KEY|secret:posthog_key}",
        env_first: "${env:SET|secret:never_asked}",
        bare: "${FROM_PROVIDER_ONLY}",
      },
      { env: { SET: "from-env" }, secrets },
    );
    expect(value).toEqual({
      api_key: SECRET_VALUE,
      again: SECRET_VALUE,
      chain: SECRET_VALUE,
      env_first: "from-env",
      bare: "${FROM_PROVIDER_ONLY}",
    });
    expect(issues).toEqual([]);
    expect(asked.sort()).toEqual(["FROM_PROVIDER_ONLY", "posthog_key"]);
  });

  it("a bare ${NAME} falls back to the provider when the variable is not set (as in Python)", async () => {
    const { value } = await resolvePlaceholders({ k: "${POSTHOG_API_KEY}" }, { env: {}, secrets: () => "v" });
    expect(value).toEqual({ k: "v" });
  });

  it("a secret: reference without a provider is an issue naming the key and the reference", async () => {
    const { value, issues } = await resolvePlaceholders(
      { s: { api_key: "${secret:posthog_key}" } },
      { env: {} },
    );
    expect(value).toEqual({ s: { api_key: "${secret:posthog_key}" } });
    expect(issues).toEqual([
      {
        keyPath: "s.api_key",
        message:
          '"${secret:posthog_key}" cannot be resolved: no secrets provider was given (pass `secrets` to loadTelemetry) to resolve "secret:posthog_key"',
      },
    ]);
  });

  it("a provider that lacks the secret, or fails, is an issue without the provider's message", async () => {
    const { issues } = await resolvePlaceholders(
      { a: "${secret:missing}", b: "${secret:broken}", c: "${env:NOPE|secret:missing}" },
      {
        env: {},
        secrets: (name) => {
          if (name === "broken") throw new TypeError(`vault said ${SECRET_VALUE}`);
          return undefined;
        },
      },
    );
    expect(issues.map((i) => [i.keyPath, i.message])).toEqual([
      ["a", '"${secret:missing}" cannot be resolved: the secrets provider has no secret "missing"'],
      ["b", '"${secret:broken}" cannot be resolved: the secrets provider failed for "broken" (TypeError)'],
      ["c", '"${env:NOPE|secret:missing}" cannot be resolved: the secrets provider has no secret "missing"'],
    ]);
    expect(JSON.stringify(issues)).not.toContain(SECRET_VALUE);
  });

  it.each([
    ["$POSTHOG_API_KEY", '"$POSTHOG_API_KEY" is not substituted: write "${POSTHOG_API_KEY}"'],
    [
      "${ POSTHOG_API_KEY }",
      '"${ POSTHOG_API_KEY }" has spaces inside the braces: write "${POSTHOG_API_KEY}"',
    ],
    [
      "${POSTHOG_API_KEY:-x}",
      '"${POSTHOG_API_KEY:-…}" uses a shell default, which is not supported: write "${POSTHOG_API_KEY}" and set the variable, or list fallbacks as "${env:POSTHOG_API_KEY|secret:POSTHOG_API_KEY}"',
    ],
    [
      "${ENV:OTLP_TOKEN}",
      '"${ENV:OTLP_TOKEN}" has an unknown prefix "ENV:" (did you mean "env:"?); the prefixes are env: and secret:',
    ],
    ["${vault:x}", '"${vault:x}" has an unknown prefix "vault:"; the prefixes are env: and secret:'],
    ["Bearer ${OTLP_TOKEN", '"${OTLP_TOKEN…" has no closing "}"'],
    ["${}", '"${}" names no variable'],
  ])("the mistyped placeholder %j is an issue that names it", async (written, message) => {
    const { value, issues } = await resolvePlaceholders(
      { custom_posthog: { api_key: written } },
      { env: { POSTHOG_API_KEY: SECRET_VALUE, OTLP_TOKEN: SECRET_VALUE, ENV: SECRET_VALUE } },
    );
    expect(issues).toEqual([{ keyPath: "custom_posthog.api_key", message }]);
    // Left as written: a mistyped placeholder is never half-resolved.
    expect(value).toEqual({ custom_posthog: { api_key: written } });
  });

  it("never shows a shell default's literal value", async () => {
    const { issues } = await resolvePlaceholders({ k: `\${KEY:-${SECRET_VALUE}}` }, { env: {} });
    expect(issues[0]!.message).not.toContain(SECRET_VALUE);
  });

  it("does not rescan a substituted value: a secret holding $WORD or ${x} is kept as is", async () => {
    const tricky = "pa$WORD${ x }";
    const { value, issues } = await resolvePlaceholders({ k: "${PASSWORD}" }, { env: { PASSWORD: tricky } });
    expect(value).toEqual({ k: tricky });
    expect(issues).toEqual([]);
  });

  it("leaves lower-case $words and prices alone", () => {
    expect(scanPlaceholders("costs $5 or $amount")).toEqual([]);
  });

  it("substituteEnv and findUnresolved keep their env-only meaning", () => {
    expect(substituteEnv({ a: "${A}-${secret:s}" }, { A: "1" })).toEqual({ a: "1-${secret:s}" });
    expect(findUnresolved({ h: { x: "Bearer ${env:T}", y: "${secret:s}" } }, "otlp[0]")).toEqual([
      { keyPath: "otlp[0].h.x", variable: "T" },
    ]);
  });

  it("issuesUnder selects a section's issues", () => {
    const issues = [
      { keyPath: "otlp[0].headers.A", message: "a" },
      { keyPath: "otlp[1]", message: "b" },
      { keyPath: "langfuse.secret_key", message: "c" },
      { keyPath: "langfuse_extra", message: "d" },
    ];
    expect(issuesUnder(issues, "otlp[0]").map((i) => i.message)).toEqual(["a"]);
    expect(issuesUnder(issues, "langfuse").map((i) => i.message)).toEqual(["c"]);
  });
});
