import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Telemetry } from "@pipelex/telemetry-core";
import OpenAI from "openai";

export interface AppOptions {
  telemetry: Telemetry;
  openai: OpenAI;
  model?: string;
}

/**
 * The app: `POST /summarize` with `{ "text": "..." }` answers `{ "summary": "..." }`. The LLM
 * call runs inside `pipeRun` (the app's unit of work) and `inference` (the call itself), so
 * every destination gets one pipe span holding one LLM span with the model, the usage and,
 * where a destination's policy allows, the prompt and the completion.
 */
export function createApp({ telemetry, openai, model = "gpt-4o-mini" }: AppOptions): Server {
  const summarize = (text: string) =>
    telemetry.pipeRun({ runId: randomUUID(), pipeCode: "summarize_text", pipeType: "PipeLLM" }, () =>
      telemetry.inference(
        { model, provider: "openai", operation: "chat", outputType: "text" },
        async (call) => {
          const messages = [
            { role: "system" as const, content: "Summarize the user's text in one sentence." },
            { role: "user" as const, content: text },
          ];
          call.recordInput(messages);
          const response = await openai.chat.completions.create({ model, messages });
          const summary = response.choices[0]?.message.content ?? "";
          call.recordOutput(summary);
          call.recordResponseModel(response.model);
          if (response.usage) {
            call.recordUsage({
              inputTokens: response.usage.prompt_tokens,
              outputTokens: response.usage.completion_tokens,
            });
          }
          return summary;
        },
      ),
    );

  return createServer(async (req, res) => {
    try {
      if (req.method === "GET" && req.url === "/health") return send(res, 200, { ok: true });
      if (req.method !== "POST" || req.url !== "/summarize") return send(res, 404, { error: "not found" });
      const { text } = JSON.parse(await readBody(req)) as { text?: unknown };
      if (typeof text !== "string" || text.length === 0) return send(res, 400, { error: "text is required" });
      send(res, 200, { summary: await summarize(text) });
    } catch (error) {
      // The provider's status and code, never its message: it may echo the user's text.
      if (error instanceof OpenAI.APIError) {
        return send(res, 502, { error: "the LLM call failed", status: error.status, code: error.code });
      }
      send(res, 500, { error: "internal error" });
    }
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8") || "{}";
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}
