// The exit cost of a plain app with no telemetry: one fetch to the endpoint, then the time from
// its last line to the process's `exit` event. Node's fetch (undici) alone spends about 100 ms of
// CPU there, so the suite's exit bounds are measured against this, on the same loaded machine.
const started = Date.now();
await fetch(process.argv[2], { method: "POST", body: "x" }).then((response) => response.arrayBuffer());
const lastWork = Date.now();
process.on("exit", () =>
  process.stdout.write(
    `${JSON.stringify({ gapMs: Date.now() - lastWork, totalMs: Date.now() - started })}\n`,
  ),
);
