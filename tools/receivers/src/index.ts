export { startHttpReceiver, decompress } from "./http-receiver.js";
export type { HttpReceiver, RecordedRequest, ReceiverReply, ReplyFn } from "./http-receiver.js";
export { PosthogBatchError, parsePosthogBatch, startPosthogReceiver } from "./posthog.js";
export type { PosthogBatch, PosthogCapturedEvent, PosthogExchange } from "./posthog.js";
export type { PosthogReceiver, PosthogReceiverOptions } from "./posthog.js";
export { startGatewayReceiver } from "./gateway.js";
export type { GatewayReceiver, GatewayReceiverOptions } from "./gateway.js";
export { startOtlpReceiver } from "./otlp.js";
export type { OtlpReceiver, OtlpExportRequest, OtlpRejectedRequest, OtlpReplyFn } from "./otlp.js";
export {
  decodeTraceRequest,
  flattenSpans,
  otlpEncodingOf,
  anyValueToPlain,
  keyValuesToRecord,
  exportTraceServiceRequestType,
  OtlpDecodeError,
  OTLP_SPAN_KINDS,
  OTLP_STATUS_CODES,
} from "./otlp-decode.js";
export type {
  OtlpSpan,
  OtlpEvent,
  OtlpLink,
  OtlpValue,
  OtlpEncoding,
  DecodedTraceRequest,
} from "./otlp-decode.js";
export { OTLP_TRACE_PROTOS, OTLP_PROTO_TAG } from "./otlp-protos.js";
export { startLangfuseReceiver, langfuseBasicAuth, langfuseObservation, LANGFUSE_OTEL_TRACES_PATH } from "./langfuse.js";
export type { LangfuseReceiver, LangfuseReceiverOptions, LangfuseObservation } from "./langfuse.js";
