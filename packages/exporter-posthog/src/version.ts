/** Kept equal to package.json's version (a unit test checks it); sent as `$ai_lib_version`. */
export const EXPORTER_VERSION = "0.1.0";
export const EXPORTER_PACKAGE_NAME = "@pipelex/telemetry-exporter-posthog";
