import { describe, expect, it } from "vitest";
import { allSpanText } from "../../test/span-text.js";
import { defineDestination } from "../plugin/destination-spec.js";
import { createTelemetry } from "../telemetry/create-telemetry.js";
import { RecordingExporter } from "../testing/in-memory.js";
import { dropContent } from "./drop-content.js";
import { KnownSecrets } from "./known-secrets.js";

const DECLARED = "sk-declared-0123456789abcdef";
const REGISTERED = "late-registered-token-98765";
const HEADER = 'Bearer "quoted/value"+tail';

/** A destination that declares a secret and registers another on its logger, like a plugin. */
function secretHolder(name: string, redact = [] as ReturnType<typeof dropContent>[]) {
  const exporter = new RecordingExporter();
  const spec = defineDestination({
    name,
    redact,
    secrets: [DECLARED],
    createExporter: (context) => {
      context.logger.addSecrets(HEADER);
      setTimeout(() => context.logger.addSecrets(REGISTERED), 0).unref?.();
      return exporter;
    },
  });
  return { spec, exporter };
}

describe("known secrets are scrubbed from every span, for every destination", () => {
  it("removes declared and later-registered secrets from prompts, completions, errors, names and ids", async () => {
    const full = secretHolder("full");
    const redacted = secretHolder("redacted", [dropContent()]);
    const plain = new RecordingExporter();
    const telemetry = createTelemetry({
      env: {},
      destinations: [
        full.spec,
        redacted.spec,
        defineDestination({ name: "plain", redact: [], createExporter: () => plain }),
      ],
      logLevel: "silent",
      serviceVersion: `v-${DECLARED}`,
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const echo = `401 for Authorization: ${HEADER}; key=${encodeURIComponent(DECLARED)}; ${REGISTERED}`;
    await telemetry
      .pipeRun({ runId: `run-${DECLARED}`, pipeCode: `code-${REGISTERED}`, pipeType: "PipeLLM" }, () =>
        telemetry.inference(
          { model: "gpt-4o", provider: "openai", operation: "chat", jobId: DECLARED },
          async (call) => {
            call.recordInput([{ role: "user", content: `my key is ${DECLARED} and ${HEADER}` }]);
            call.recordOutput(`echo ${REGISTERED}`);
            throw new Error(echo);
          },
        ),
      )
      .catch(() => undefined);
    await telemetry.shutdown();
    for (const exporter of [full.exporter, redacted.exporter, plain]) {
      expect(exporter.spans).toHaveLength(2);
      const text = exporter.spans.map(allSpanText).join("\n");
      for (const secret of [
        DECLARED,
        REGISTERED,
        HEADER,
        encodeURIComponent(DECLARED),
        JSON.stringify(HEADER).slice(1, -1),
      ])
        expect(text).not.toContain(secret);
    }
    // The full-data destination still gets the content around the secrets.
    const fullText = full.exporter.spans.map(allSpanText).join("\n");
    expect(fullText).toContain("my key is [REDACTED]");
    expect(fullText).toContain("401 for Authorization: [REDACTED]");
  });

  it("scrubs a secret registered after start when no destination had one at start", async () => {
    const full = new RecordingExporter();
    let register: (secret: string) => void = () => undefined;
    const telemetry = createTelemetry({
      env: {},
      destinations: [
        defineDestination({
          name: "late",
          redact: [],
          createExporter: (context) => {
            register = (secret) => context.logger.addSecrets(secret);
            return full;
          },
        }),
      ],
      logLevel: "silent",
    });
    const prompt = () =>
      telemetry.inference({ model: "gpt-4o", provider: "openai", operation: "chat" }, (call) =>
        call.recordInput([{ role: "user", content: `token ${REGISTERED} here` }]),
      );
    await prompt();
    register(REGISTERED);
    await prompt();
    await telemetry.shutdown();
    // Redaction runs at export, so both spans (queued before and after the registration) are scrubbed.
    expect(full.spans).toHaveLength(2);
    for (const text of full.spans.map(allSpanText)) {
      expect(text).not.toContain(REGISTERED);
      expect(text).toContain("token [REDACTED] here");
    }
  });

  it("keeps short values and unrelated text as they are", () => {
    const known = new KnownSecrets();
    known.add("abc", undefined, "", "token-1234");
    expect(known.size).toBeGreaterThan(0);
    expect(known.scrub("abc token-1234 abc")).toBe("abc [REDACTED] abc");
    const text = "nothing to see";
    expect(known.scrub(text)).toBe(text);
    known.add("Bearer tok_abcdef123456");
    expect(known.scrub("sent tok_abcdef123456 alone")).toBe("sent [REDACTED] alone");
  });
});
