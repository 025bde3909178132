import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  LANGFUSE_BASIC,
  mark,
  type Receivers,
  receivedSince,
  SECRETS,
  startReceivers,
  telemetryWithAll,
} from "./destinations.js";

/**
 * Every secret a destination declares (API keys, secret keys, header values), seeded into
 * prompts, completions, error messages and ids, is absent from every destination's decoded
 * bodies, full-data ones included. Decoded from the real receivers.
 */

let receivers: Receivers;
beforeAll(async () => {
  receivers = await startReceivers();
});
afterAll(() => receivers.close());

class ProviderError extends Error {
  readonly status = 401;
}

describe("known secrets never leave in span content", () => {
  it("scrubs each declared secret from every destination's bodies", async () => {
    const declared = [
      ...Object.values(SECRETS).filter((s) => s !== SECRETS.langfusePublicKey),
      LANGFUSE_BASIC,
    ];
    const telemetry = telemetryWithAll(receivers);
    await telemetry.ready();
    const from = mark(receivers);
    const all = declared.join(" | ");
    const result = await telemetry
      .pipeRun({ runId: "run-1", pipeCode: "summarize", pipeType: "PipeLLM", sessionId: "s-1" }, () =>
        telemetry.inference(
          { model: "gpt-4o", provider: "openai", operation: "chat", jobId: "job-1" },
          async (call) => {
            call.recordInput([{ role: "user", content: `MARK-PROMPT keys: ${all}` }]);
            call.recordOutput(`MARK-COMPLETION echo: ${all}`);
            throw new ProviderError(`MARK-ERROR 401: Authorization: Bearer ${SECRETS.otlpToken}; ${all}`);
          },
        ),
      )
      .catch((error: unknown) => error);
    expect(result).toBeInstanceOf(ProviderError);
    await telemetry.shutdown({ timeoutMs: 10_000 });

    const received = receivedSince(receivers, from);
    for (const [destination, text] of Object.entries(received)) {
      expect(text.length, `${destination} received nothing`).toBeGreaterThan(0);
      for (const secret of declared) {
        const at = text.indexOf(secret);
        expect(at, `${destination} carries a secret: ...${text.slice(Math.max(0, at - 80), at)}`).toBe(-1);
      }
    }
    // The full-data destinations still got the content, with the secrets cut out of it.
    for (const text of [received.otlp, received.langfuse]) {
      expect(text).toContain("MARK-PROMPT keys: [REDACTED]");
      expect(text).toContain("MARK-ERROR 401: Authorization: [REDACTED]");
    }
  });
});
