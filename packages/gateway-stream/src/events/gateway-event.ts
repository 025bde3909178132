/**
 * The only shape the gateway stream sends: a PostHog capture event. Every property is listed
 * here; the mapper builds a new object of this type and nothing else reaches the request body.
 */
export type GatewayEventName = "$ai_generation" | "$ai_span";

export interface GatewayModelParameters {
  temperature?: number;
  max_tokens?: number;
  seed?: number;
  width?: number;
  height?: number;
  structuring_method?: string;
}

export interface GatewayEventProperties {
  /** Anonymous capture: PostHog keeps no person profile for the hashed id. */
  $process_person_profile: false;
  $ai_lib: string;
  $ai_lib_version: string;
  $ai_trace_id?: string;
  $ai_span_id?: string;
  $ai_parent_id?: string;
  /** Seconds. */
  $ai_latency?: number;
  $ai_is_error: boolean;
  $ai_http_status?: number;
  /** Inference only. */
  $ai_model?: string;
  $ai_provider?: string;
  $ai_model_parameters?: GatewayModelParameters;
  $ai_input_tokens?: number;
  $ai_output_tokens?: number;
  pipelex_response_model?: string;
  pipelex_operation?: string;
  pipelex_output_type?: string;
  /** Both kinds. */
  pipelex_pipe_type?: string;
  pipelex_pipe_category?: string;
  pipelex_outcome?: "success" | "failure";
  pipelex_error_type?: string;
  pipelex_error_code?: string;
}

export interface GatewayEvent {
  event: GatewayEventName;
  /** First 16 hex characters of SHA-256 of the gateway API key. */
  distinct_id: string;
  /** When the span started. */
  timestamp?: string;
  /** Random per event, so PostHog de-duplicates an event that a retry sent twice. */
  uuid: string;
  properties: GatewayEventProperties;
}

/** The request body of PostHog's batch capture API. */
export interface GatewayBatch {
  /** The gateway's PostHog project key (public ingest key), never the gateway API key. */
  api_key: string;
  batch: GatewayEvent[];
}
