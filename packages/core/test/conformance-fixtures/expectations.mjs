import { CONFORMANCE_CHECKS as C } from "@pipelex/telemetry-core/testing";

/**
 * Each fixture and the checks it must fail (good ones: none). The kit must fail each bad
 * fixture for its own reason; other checks failing as a consequence are listed too, so a
 * check that fails where it should not is caught as well.
 */
export const EXPECTED_FAILURES = {
  "good-fetch": [],
  "good-http": [],
  "bad-retry-after-switch": [C.killRetry, C.signalRetry],
  "bad-http-retry-after-switch": [C.killRetry, C.signalRetry],
  "bad-no-abort": [C.killInFlight, C.signalInFlight],
  "bad-sends-elsewhere-fetch": [C.killRetry, C.killInFlight, C.signalRetry, C.signalInFlight],
  "bad-sends-elsewhere-http": [C.killRetry, C.killInFlight, C.signalRetry, C.signalInFlight],
  "bad-sends-elsewhere-https": [C.killRetry, C.killInFlight, C.signalRetry, C.signalInFlight],
  "bad-secret-console": [C.secretsKept],
  "bad-secret-stdout": [C.secretsKept],
  "bad-secret-stderr": [C.secretsKept],
  "bad-secret-logger": [C.secretsKept],
  "bad-undeclared-secret": [C.secretsKept, C.secretsDeclared],
  "bad-throws-in-export": [C.exports, C.neverThrows],
  "bad-hangs-shutdown": [C.shutdown, C.quietAfterShutdown, C.signalRetry, C.signalInFlight],
  "bad-hangs-flush": [C.flush],
  "bad-timer-after-shutdown": [C.quietAfterShutdown],
  "bad-print-after-shutdown": [C.quietAfterShutdown],
  "bad-leaks-interval": [C.noLeftovers],
  "bad-leaks-file": [C.noLeftovers],
  "bad-import-timer": [C.importQuiet],
  "bad-import-print": [C.importQuiet],
  "bad-import-socket": [C.importQuiet],
  "bad-import-file": [C.importQuiet],
};

/** The kit's settings for the fixtures: short watches (their retries are 100 ms apart). */
export function fixtureOptions(fixtureUrl) {
  return {
    options: (receiver) => ({
      endpoint: `${receiver.url}/v1/spans`,
      token: "fixture-token-0123456789abcdef",
    }),
    importFrom: fixtureUrl,
    timeoutMs: 2000,
    watchMs: 300,
    abortGraceMs: 500,
  };
}
