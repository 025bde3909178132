// The endpoint for bench/load.mjs, in its own process so it takes nothing from the app's event
// loop: answers every request with 200 `{}` after --latency ms, keeps connections alive, and
// prints requests and bytes received when asked (any line on stdin) or at the end.
import { createServer } from "node:http";

const latency = Number(process.argv[2] ?? 50);
let requests = 0;
let bytes = 0;
const server = createServer((req, res) => {
  req.on("data", (chunk) => {
    bytes += chunk.length;
  });
  req.on("end", () => {
    requests++;
    // OTLP/protobuf (the bare OpenTelemetry peer): an empty ExportTraceServiceResponse.
    const otlp = req.url?.startsWith("/v1/traces");
    setTimeout(
      () =>
        otlp
          ? res.writeHead(200, { "content-type": "application/x-protobuf" }).end()
          : res.writeHead(200, { "content-type": "application/json" }).end("{}"),
      latency,
    );
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () =>
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`),
);
process.stdin.on("data", () => process.stdout.write(`${JSON.stringify({ requests, bytes })}\n`));
process.stdin.on("end", () => process.exit(0));
