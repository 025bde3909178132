export { startHttpReceiver, decompress } from "./http-receiver.js";
export type { HttpReceiver, RecordedRequest, ReceiverReply, ReplyFn } from "./http-receiver.js";
