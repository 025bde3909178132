/** Sent as `$ai_lib` / `$ai_lib_version`; kept equal to package.json (a unit test checks it). */
export const PACKAGE_NAME = "@pipelex/telemetry-gateway-stream";
export const PACKAGE_VERSION = "0.1.0";
