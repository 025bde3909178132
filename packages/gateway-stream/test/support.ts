import { createHash } from "node:crypto";
import { createServer, type Socket } from "node:net";
import type { PosthogCapturedEvent } from "@pipelex/test-receivers";
import { expect } from "vitest";

/**
 * Written independently of the source: the only property keys the privacy policy allows. If the
 * mapper ever adds a key, the tests fail until this list (and the README table) is updated.
 */
export const ALLOWED_PROPERTY_KEYS = new Set([
  "$process_person_profile",
  "$ai_lib",
  "$ai_lib_version",
  "$ai_trace_id",
  "$ai_span_id",
  "$ai_parent_id",
  "$ai_latency",
  "$ai_is_error",
  "$ai_http_status",
  "$ai_model",
  "$ai_provider",
  "$ai_model_parameters",
  "$ai_input_tokens",
  "$ai_output_tokens",
  "pipelex_response_model",
  "pipelex_operation",
  "pipelex_output_type",
  "pipelex_pipe_type",
  "pipelex_pipe_category",
  "pipelex_outcome",
  "pipelex_error_type",
  "pipelex_error_code",
]);
export const ALLOWED_PARAMETER_KEYS = new Set([
  "temperature",
  "max_tokens",
  "seed",
  "width",
  "height",
  "structuring_method",
]);
// The lists as the README states them (written from the README, not imported): a change to a
// list is a change of what the gateway collects, so it must show up here too.
export const README_LISTS = {
  pipeType: [
    "PipeFunc",
    "PipeImgGen",
    "PipeCompose",
    "PipeLLM",
    "PipeExtract",
    "PipeSearch",
    "PipeStructure",
    "PipeBatch",
    "PipeCondition",
    "PipeParallel",
    "PipeSequence",
  ],
  pipeCategory: ["PipeOperator", "PipeController"],
  operation: [
    "chat",
    "create_agent",
    "embeddings",
    "execute_tool",
    "generate_content",
    "invoke_agent",
    "text_completion",
    "image_generation",
  ],
  outputType: ["text", "json", "image", "speech"],
  structuringMethod: ["direct", "preliminary_text"],
};

export const ALLOWED_EVENT_KEYS = new Set(["event", "distinct_id", "properties", "timestamp", "uuid"]);
const SAFE = /^[A-Za-z0-9._:/@+-]{1,128}$/;

export function sha16(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex").slice(0, 16);
}

/** What an identifier field must hold for a given input: the value, "invalid", or absent. */
export function expectedIdentifier(input: unknown, pattern: RegExp = SAFE): string | undefined {
  if (input === undefined || input === null) return undefined;
  if (typeof input !== "string") return undefined; // never reaches a span as a string attribute
  return pattern.test(input) ? input : "invalid";
}

/** Longer strings are not identifiers: core records them as malformed (absent or "unknown"). */
const MAX_FIELD_LENGTH = 1024;

/**
 * What a closed field must hold: the value when it is on its README list, "other" for anything
 * else present. A required info field (pipeType, operation) that is not a usable string is
 * recorded by core as "unknown", which is not on any list, so it is "other" too.
 */
export function expectedClosed(
  input: unknown,
  list: readonly string[],
  required: boolean,
): string | undefined {
  const usable = typeof input === "string" && input.length <= MAX_FIELD_LENGTH;
  if (!usable) return required ? "other" : undefined;
  return list.includes(input) ? input : "other";
}

/** A required name field (model, provider) that is not a usable string arrives as "unknown". */
export function requiredName(input: unknown): unknown {
  return typeof input === "string" && input.length <= MAX_FIELD_LENGTH ? input : "unknown";
}

/** Error types and codes: the stricter code shape (written from the README, not imported from src). */
export const SAFE_ERROR_CODE = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Asserts the shape and JS types of one event as the receiver saw it. */
export function expectWellTypedEvent(event: PosthogCapturedEvent, distinctId: string): void {
  expect(["$ai_generation", "$ai_span"]).toContain(event.event);
  expect(event.distinct_id).toBe(distinctId);
  expect(Object.keys(event.extra)).toEqual([]);
  expect(typeof event.uuid).toBe("string");
  const p = event.properties;
  for (const key of Object.keys(p)) expect(ALLOWED_PROPERTY_KEYS, key).toContain(key);
  expect(p.$process_person_profile).toBe(false);
  expect(p.$ai_lib).toBe("@pipelex/telemetry-gateway-stream");
  expect(typeof p.$ai_lib_version).toBe("string");
  expect(typeof p.$ai_is_error).toBe("boolean");
  expect(p.$ai_trace_id).toMatch(/^[0-9a-f]{32}$/);
  expect(p.$ai_span_id).toMatch(/^[0-9a-f]{16}$/);
  if ("$ai_parent_id" in p) expect(p.$ai_parent_id).toMatch(/^[0-9a-f]{16}$/);
  const closed: [string, readonly string[]][] = [
    ["pipelex_operation", README_LISTS.operation],
    ["pipelex_output_type", README_LISTS.outputType],
    ["pipelex_pipe_type", README_LISTS.pipeType],
    ["pipelex_pipe_category", README_LISTS.pipeCategory],
  ];
  for (const [key, list] of closed) {
    if (key in p) expect(p[key] === "other" || list.includes(p[key] as string), key).toBe(true);
  }
  for (const key of [
    "$ai_model",
    "$ai_provider",
    "pipelex_response_model",
    "pipelex_error_type",
    "pipelex_error_code",
  ]) {
    if (key in p)
      expect(p[key] === "invalid" || (typeof p[key] === "string" && SAFE.test(p[key] as string)), key).toBe(
        true,
      );
  }
  for (const key of ["$ai_latency", "$ai_input_tokens", "$ai_output_tokens", "$ai_http_status"]) {
    if (key in p) expect(Number.isFinite(p[key]), key).toBe(true);
  }
  if ("pipelex_outcome" in p) expect(["success", "failure"]).toContain(p.pipelex_outcome);
  if ("$ai_model_parameters" in p) {
    const params = p.$ai_model_parameters as Record<string, unknown>;
    expect(typeof params).toBe("object");
    for (const [key, value] of Object.entries(params)) {
      expect(ALLOWED_PARAMETER_KEYS, key).toContain(key);
      if (key === "structuring_method")
        expect(value === "other" || README_LISTS.structuringMethod.includes(value as string)).toBe(true);
      else expect(Number.isFinite(value), key).toBe(true);
    }
  }
  if (event.event === "$ai_span") {
    for (const key of [
      "$ai_model",
      "$ai_provider",
      "$ai_model_parameters",
      "$ai_input_tokens",
      "$ai_output_tokens",
    ]) {
      expect(p, key).not.toHaveProperty(key);
    }
  }
}

/** A loopback URL nothing listens on (connection refused at once). */
export async function closedPortUrl(path = "/"): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}${path}`;
}

/** Every byte the gateway put on the wire for these requests: URL, headers and decompressed body. */
export function wireText(
  requests: readonly { path: string; query: URLSearchParams; headers: object; body: Buffer }[],
): string {
  return requests
    .map((r) => `${r.path}?${r.query.toString()}\n${JSON.stringify(r.headers)}\n${r.body.toString("utf8")}`)
    .join("\n");
}

/** One connection to a SilentEndpoint: when it opened, each chunk it received, when the client closed it. */
export interface SilentConnection {
  readonly openedAt: number;
  readonly chunksAt: number[];
  closedAt?: number;
}

export interface SilentEndpoint {
  readonly url: string;
  readonly connections: SilentConnection[];
  close(): Promise<void>;
}

/**
 * A loopback HTTP endpoint that reads every request and never answers, recording each connection:
 * a client that closes one has aborted its request (nothing else ends it).
 */
export async function startSilentEndpoint(path = "/"): Promise<SilentEndpoint> {
  const connections: SilentConnection[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    const connection: SilentConnection = { openedAt: Date.now(), chunksAt: [] };
    connections.push(connection);
    sockets.add(socket);
    socket.on("data", () => connection.chunksAt.push(Date.now()));
    socket.on("error", () => {});
    socket.on("close", () => {
      connection.closedAt ??= Date.now();
      sockets.delete(socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}${path}`,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
