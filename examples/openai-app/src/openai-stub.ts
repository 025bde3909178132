import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** The longest prompt the stub accepts, in characters; longer ones get OpenAI's context-length error. */
export const STUB_CONTEXT_CHARS = 2000;

export interface OpenAiStub {
  /** `http://127.0.0.1:PORT/v1`: the `baseURL` for the openai client. */
  readonly baseURL: string;
  /** Chat requests received, as parsed JSON. */
  readonly requests: { model: string; messages: { role: string; content: string }[] }[];
  close(): Promise<void>;
}

/**
 * An OpenAI-compatible chat completions endpoint on 127.0.0.1, so the example runs with the
 * real `openai` client and no network: checks the bearer key, answers in OpenAI's response
 * shape with usage, and with OpenAI's error shape for a prompt over the context length.
 */
export async function startOpenAiStub(apiKey: string): Promise<OpenAiStub> {
  const requests: OpenAiStub["requests"] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
      return reply(404, { error: { message: "not found", type: "invalid_request_error" } });
    }
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      return reply(401, {
        error: {
          message: "Incorrect API key provided",
          type: "invalid_request_error",
          code: "invalid_api_key",
        },
      });
    }
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as OpenAiStub["requests"][number];
    requests.push(body);
    const prompt = body.messages.map((m) => m.content).join("\n");
    if (prompt.length > STUB_CONTEXT_CHARS) {
      return reply(400, {
        error: {
          message: `This model's maximum context length was exceeded by: '${prompt.slice(0, 40)}'`,
          type: "invalid_request_error",
          code: "context_length_exceeded",
        },
      });
    }
    const completion = `Summary: ${prompt.split(/\s+/).slice(-8).join(" ")}`;
    reply(200, {
      id: "chatcmpl-stub-0001",
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: `${body.model}-2024-08-06`,
      choices: [{ index: 0, message: { role: "assistant", content: completion }, finish_reason: "stop" }],
      usage: {
        prompt_tokens: Math.ceil(prompt.length / 4),
        completion_tokens: Math.ceil(completion.length / 4),
        total_tokens: Math.ceil(prompt.length / 4) + Math.ceil(completion.length / 4),
      },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
