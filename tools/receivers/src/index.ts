export type { AppProject } from "./app-project.js";
export { createAppProject } from "./app-project.js";
export type { Fault, FaultReceiver, FaultRequest } from "./fault-receiver.js";
export { refusedUrl, startFaultReceiver } from "./fault-receiver.js";
export type { GatewayReceiver, GatewayReceiverOptions } from "./gateway.js";
export { startGatewayReceiver } from "./gateway.js";
export type { HttpReceiver, ReceiverReply, RecordedRequest, ReplyFn } from "./http-receiver.js";
export { decompress, startHttpReceiver } from "./http-receiver.js";
export type { LangfuseObservation, LangfuseReceiver, LangfuseReceiverOptions } from "./langfuse.js";
export {
  LANGFUSE_OTEL_TRACES_PATH,
  langfuseBasicAuth,
  langfuseObservation,
  startLangfuseReceiver,
} from "./langfuse.js";
export type { OtlpExportRequest, OtlpReceiver, OtlpRejectedRequest, OtlpReplyFn } from "./otlp.js";
export { startOtlpReceiver } from "./otlp.js";
export type {
  DecodedTraceRequest,
  OtlpEncoding,
  OtlpEvent,
  OtlpLink,
  OtlpSpan,
  OtlpValue,
} from "./otlp-decode.js";
export {
  anyValueToPlain,
  decodeTraceRequest,
  exportTraceServiceRequestType,
  flattenSpans,
  keyValuesToRecord,
  OTLP_SPAN_KINDS,
  OTLP_STATUS_CODES,
  OtlpDecodeError,
  otlpEncodingOf,
} from "./otlp-decode.js";
export { OTLP_PROTO_TAG, OTLP_TRACE_PROTOS } from "./otlp-protos.js";
export type {
  PosthogBatch,
  PosthogCapturedEvent,
  PosthogExchange,
  PosthogReceiver,
  PosthogReceiverOptions,
} from "./posthog.js";
export { PosthogBatchError, parsePosthogBatch, startPosthogReceiver } from "./posthog.js";
