import { Agent, request } from "node:http";
import { describe, expect, it } from "vitest";
import { startFaultReceiver } from "./fault-receiver.js";

/** A POST through Node's http client; without `length` the body goes chunked, in two writes. */
function post(url: string, agent: Agent, parts: string[], length?: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/v1/traces`,
      {
        method: "POST",
        agent,
        headers: length === undefined ? {} : { "content-length": String(length) },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    for (const part of parts) req.write(part);
    req.end();
  });
}

describe("fault receiver", () => {
  it("reads a chunked request as one request with its whole body, then the next one on the same socket", async () => {
    const receiver = await startFaultReceiver();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await post(receiver.url, agent, ['{"first":', '"chunked"}'])).toBe(200);
      expect(await post(receiver.url, agent, ['{"second":1}'], 12)).toBe(200);
      expect(receiver.requests.map((r) => r.headers["transfer-encoding"] ?? "length")).toEqual([
        "chunked",
        "length",
      ]);
      expect(receiver.requests.map((r) => r.body.toString())).toEqual([
        '{"first":"chunked"}',
        '{"second":1}',
      ]);
      expect(receiver.requests.map((r) => r.path)).toEqual(["/v1/traces", "/v1/traces"]);
    } finally {
      agent.destroy();
      await receiver.close();
    }
  });
});
