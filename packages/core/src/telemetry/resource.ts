import { defaultResource, type Resource, resourceFromAttributes } from "@opentelemetry/resources";
import type { EnvSource } from "../kill-switch/do-not-track.js";
import { RESOURCE_DEFAULTS } from "../span/attributes.js";

export interface ResourceOptions {
  /** `service.version`; default `PIPELEX_VERSION` from the environment, else "unknown". */
  serviceVersion?: string | undefined;
  /** `deployment.environment`; default `PIPELEX_ENVIRONMENT`, then `NODE_ENV`, else "development". */
  environment?: string | undefined;
}

/** Resource attributes shared with the Python implementation. */
export function buildResource(options: ResourceOptions, env: EnvSource): Resource {
  return defaultResource().merge(
    resourceFromAttributes({
      "service.name": RESOURCE_DEFAULTS.SERVICE_NAME,
      "service.namespace": RESOURCE_DEFAULTS.SERVICE_NAMESPACE,
      "service.version": options.serviceVersion ?? env.PIPELEX_VERSION ?? "unknown",
      "deployment.environment":
        options.environment ?? env.PIPELEX_ENVIRONMENT ?? env.NODE_ENV ?? "development",
    }),
  );
}
