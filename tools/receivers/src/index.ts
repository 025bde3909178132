export { startHttpReceiver, decompress } from "./http-receiver.js";
export type { HttpReceiver, RecordedRequest, ReceiverReply, ReplyFn } from "./http-receiver.js";
export { PosthogBatchError, parsePosthogBatch, startPosthogReceiver } from "./posthog.js";
export type { PosthogBatch, PosthogCapturedEvent, PosthogExchange } from "./posthog.js";
export type { PosthogReceiver, PosthogReceiverOptions } from "./posthog.js";
