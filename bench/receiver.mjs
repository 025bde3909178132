// A discarding HTTP receiver for the peer comparisons, run as a child process so its work is not
// counted in the bench's CPU time. Every request is read to the end, counted under the first
// path segment (one per destination: /ours-posthog/..., /peer-otlp/...) and answered 200 with
// what each client expects; nothing is parsed. GET /stats returns the counts; POST /reset zeroes
// them. Counts: requests, body bytes uncompressed, and body bytes gzipped: as sent when the client
// compressed, else what gzip makes of the same body (and the other way round for the first).
import { createServer } from "node:http";
import { gunzipSync, gzipSync } from "node:zlib";

let stats = {};
const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    if (req.url === "/stats") return res.end(JSON.stringify(stats));
    if (req.url === "/reset") {
      stats = {};
      return res.end("{}");
    }
    const body = Buffer.concat(chunks);
    const label = req.url.split("/")[1];
    const gzipped = req.headers["content-encoding"] === "gzip";
    stats[label] ??= { requests: 0, bytes: 0, gzipBytes: 0, sentGzipped: false };
    const s = stats[label];
    s.requests++;
    s.bytes += gzipped ? gunzipSync(body).length : body.length;
    s.gzipBytes += gzipped ? body.length : gzipSync(body).length;
    s.sentGzipped ||= gzipped;
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"status":1}');
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => process.send?.({ port: server.address().port }));
process.on("disconnect", () => process.exit(0));
