// The control: a plain app with no telemetry makes one fetch, then ends. Its figure is the time
// from its last line to its `exit` event, on its own clock: what Node itself spends before exit
// after a first fetch (V8 finishing the optimized compile of undici's WebAssembly HTTP parser,
// which Node waits for), with whatever flags the suite runs its cases with.
await fetch(process.argv[2], { method: "POST", body: "x" }).then((response) => response.arrayBuffer());
const lastWork = performance.now();
process.on("exit", () =>
  process.stdout.write(`${JSON.stringify({ gapMs: performance.now() - lastWork })}\n`),
);
