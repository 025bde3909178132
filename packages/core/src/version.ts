/** Kept equal to package.json's version (a unit test checks it). */
export const CORE_VERSION = "0.1.0";
export const CORE_PACKAGE_NAME = "@pipelex/telemetry-core";
