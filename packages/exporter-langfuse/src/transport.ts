import type { Agent } from "node:http";
import { LANGFUSE_SDK_VERSION } from "@langfuse/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import type { LangfuseConnection } from "./credentials.js";

/** Langfuse's OpenTelemetry ingestion path under the base URL. */
export const LANGFUSE_OTEL_TRACES_PATH = "/api/public/otel/v1/traces";

/** Error code of requests refused once the transport is closed; not one the OTLP transport retries. */
export const TRANSPORT_CLOSED_CODE = "ERR_PIPELEX_TELEMETRY_TRANSPORT_CLOSED";

/**
 * The HTTP transport handed to LangfuseSpanProcessor as its `exporter`: the OTLP/HTTP JSON
 * exporter the SDK would build itself (same URL, Basic auth and `x-langfuse-*` headers), but
 * with a connection pool we own, so that `close()` can
 * - close the keep-alive sockets when telemetry shuts down (nothing stays open), and
 * - abort a request in flight and refuse the SDK's retries once core gives up on shutdown or
 *   the kill switch engages (the SDK offers no abort signal of its own).
 */
export interface LangfuseTransport {
  readonly exporter: OTLPTraceExporter;
  /** Destroys every socket and refuses new connections. Idempotent. */
  close(): void;
}

export function createLangfuseTransport(
  connection: LangfuseConnection,
  timeoutMillis: number,
): LangfuseTransport {
  const agents: Agent[] = [];
  let closed = false;

  // Loaded lazily, as OpenTelemetry asks of agent factories: nothing Node-only at module load.
  const agentFactory = async (protocol: string): Promise<Agent> => {
    const { Agent: AgentClass } =
      protocol === "http:" ? await import("node:http") : await import("node:https");
    const agent = new AgentClass({ keepAlive: true });
    const connect = agent.createConnection.bind(agent);
    agent.createConnection = ((options, callback) => {
      if (!closed) return connect(options, callback);
      const error = closedError();
      queueMicrotask(() => (callback as ((err: Error | null) => void) | undefined)?.(error));
      return undefined;
    }) as Agent["createConnection"];
    agents.push(agent);
    if (closed) agent.destroy();
    return agent;
  };

  const token = basicAuthToken(connection.publicKey, connection.secretKey);
  const exporter = new OTLPTraceExporter({
    url: `${connection.baseUrl}${LANGFUSE_OTEL_TRACES_PATH}`,
    headers: {
      Authorization: `Basic ${token}`,
      "x-langfuse-sdk-name": "javascript",
      "x-langfuse-sdk-version": LANGFUSE_SDK_VERSION,
      "x-langfuse-public-key": connection.publicKey,
    },
    timeoutMillis,
    httpAgentOptions: agentFactory,
  });

  return {
    exporter,
    close() {
      closed = true;
      for (const agent of agents) {
        // In-use sockets get an error the OTLP transport does not retry, so the export ends now.
        for (const sockets of Object.values(agent.sockets))
          for (const socket of sockets ?? []) socket.destroy(closedError());
        agent.destroy();
      }
    },
  };
}

function closedError(): Error {
  return Object.assign(new Error("the Langfuse exporter is closed"), { code: TRANSPORT_CLOSED_CODE });
}

/** Basic auth value Langfuse expects, computed like the SDK does (UTF-8, then base64). */
export function basicAuthToken(publicKey: string, secretKey: string): string {
  const bytes = new TextEncoder().encode(`${publicKey}:${secretKey}`);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
