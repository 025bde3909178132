// `pnpm start`: the app on PORT (default 3000). Without OPENAI_BASE_URL it talks to the
// loopback stub, so it runs with no network and no key. Ctrl-C flushes telemetry and exits.
import OpenAI from "openai";
import { createApp } from "./app.js";
import { startOpenAiStub } from "./openai-stub.js";
import { appTelemetry } from "./telemetry.js";

const env = process.env;
const stub = env.OPENAI_BASE_URL ? undefined : await startOpenAiStub("sk-local-stub");
const openai = new OpenAI({
  apiKey: stub ? "sk-local-stub" : env.OPENAI_API_KEY,
  baseURL: stub?.baseURL ?? env.OPENAI_BASE_URL,
});
const telemetry = appTelemetry(env);
const server = createApp({ telemetry, openai });
server.listen(Number(env.PORT ?? 3000), "127.0.0.1", () => {
  console.log(
    `listening on http://127.0.0.1:${env.PORT ?? 3000} (LLM: ${stub ? "local stub" : "OPENAI_BASE_URL"})`,
  );
  console.log(
    `try: curl -s localhost:${env.PORT ?? 3000}/summarize -d '{"text":"The contract renews yearly."}'`,
  );
});
process.once("SIGINT", async () => {
  server.close();
  await telemetry.shutdown({ timeoutMs: 5000 });
  await stub?.close();
});
