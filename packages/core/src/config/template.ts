/**
 * The file `pipelex-telemetry init` writes: the Python implementation's template
 * (`pipelex/kit/configs/telemetry.toml`) with the same sections, keys and values, every stream
 * off, and comments added for this implementation. Embedded as a string (not read from disk) so
 * the CLI finds it however it is installed; a test keeps it equal to `templates/telemetry.toml`.
 */
export const TELEMETRY_TOML_TEMPLATE = `####################################################################################################
# Custom Telemetry Configuration
####################################################################################################
#
# This file controls YOUR custom telemetry settings for observability and analytics.
# Configure your own PostHog, Langfuse, or OTLP-compatible backends here.
# Every stream below is off until you turn it on. Same file, same keys as the Python
# implementation's \`pipelex init telemetry\`: one file serves both.
#
# TypeScript: each stream is a package you install in your app:
#   [custom_posthog] -> @pipelex/telemetry-exporter-posthog
#   [langfuse]       -> @pipelex/telemetry-exporter-langfuse
#   [[otlp]]         -> @pipelex/telemetry-exporter-otlp
#
# Layers, later wins: ~/.pipelex/telemetry.toml, ~/.pipelex/telemetry_override.toml,
# <project>/.pipelex/telemetry.toml, <project>/.pipelex/telemetry_override.toml
# Strings may use \${VAR}, \${env:VAR}, \${secret:NAME} or \${env:VAR|secret:NAME}.
#
# NOTE: When using Pipelex Gateway, identified telemetry is automatically enabled
# (tied to your Gateway API key, hashed for security). This allows us to monitor
# service quality, enforce fair usage, and provide you with better support.
# Gateway telemetry operates independently from your settings below - you can have both!
#
# To disable all telemetry, set the DO_NOT_TRACK=1 environment variable.
# Check the result with: pipelex-telemetry status (and pipelex-telemetry preview)
#
# Documentation: https://docs.pipelex.com
# Support: https://go.pipelex.com/discord
#
####################################################################################################

# ──────────────────────────────────────────────────────────────────────────────
# PostHog Configuration (Event tracking + AI span tracing)
# ──────────────────────────────────────────────────────────────────────────────

[custom_posthog]
mode = "off" # Values: "off" | "anonymous" | "identified"
# user_id = "your_user_id"                                  # Required when mode = "identified"
endpoint = "\${POSTHOG_ENDPOINT}" # Default: https://us.i.posthog.com (or https://eu.i.posthog.com for EU)
api_key = "\${POSTHOG_API_KEY}" # Get from PostHog Project Settings
geoip = true # Enable GeoIP lookup
debug = false # Enable PostHog debug mode
redact_properties = [
  "prompt",
  "system_prompt",
  "response",
  "file_path",
  "url",
] # Event properties to redact

# AI span tracing to YOUR PostHog (does NOT affect Langfuse/OTLP - they receive full data)
[custom_posthog.tracing]
enabled = false # Send AI spans to your PostHog

# Privacy controls for data sent to YOUR PostHog only
[custom_posthog.tracing.capture]
content = false # Capture prompt/completion content
# content_max_length = 1000                                 # Max length for captured content (omit for unlimited)
pipe_codes = false         # Include pipe codes in span names/attributes
output_class_names = false # Include output class names in span names/attributes

# ──────────────────────────────────────────────────────────────────────────────
# Portkey SDK Configuration (accepted for the Python implementation; no effect here)
# ──────────────────────────────────────────────────────────────────────────────

[custom_portkey]
force_debug_enabled = false
force_tracing_enabled = false

# ──────────────────────────────────────────────────────────────────────────────
# Langfuse Integration
# Note: Langfuse receives FULL span data (no redaction)
# Without keys here, LANGFUSE_PUBLIC_KEY, LANGFUSE_SECRET_KEY and LANGFUSE_BASE_URL are used.
# ──────────────────────────────────────────────────────────────────────────────

[langfuse]
enabled = false
# endpoint = "https://cloud.langfuse.com"                    # Override for self-hosted Langfuse
# public_key = "\${LANGFUSE_PUBLIC_KEY}"                      # Langfuse public key
# secret_key = "\${LANGFUSE_SECRET_KEY}"                      # Langfuse secret key

# ──────────────────────────────────────────────────────────────────────────────
# Additional OTLP Exporters (array for multiple)
# Note: OTLP exporters receive FULL span data (no redaction)
# ──────────────────────────────────────────────────────────────────────────────

# [[otlp]]
# name = "my-collector"                                     # Identifier for logging
# endpoint = "https://..."                                  # OTLP endpoint URL
# headers = { Authorization = "Bearer \${OTLP_AUTH_TOKEN}" } # Headers for OTLP export

# ──────────────────────────────────────────────────────────────────────────────
# Third-party exporter plugins (TypeScript only), by npm package name
# ──────────────────────────────────────────────────────────────────────────────

# [[exporters]]
# package = "pipelex-telemetry-exporter-example"            # Install it in your app
# options = { }                                             # Handed to the plugin as written

# ──────────────────────────────────────────────────────────────────────────────
# Custom Telemetry Allowed Modes
# Controls which integration modes can use custom telemetry settings above.
# Defaults (a mode not listed here and not below is off):
#   ci=false, cli=true, docker=true, fastapi=true, mcp=true, n8n=true,
#   pytest=false, python=false
# pytest is the test mode, whatever the test runner.
# Uncomment below to override.
# ──────────────────────────────────────────────────────────────────────────────

# [telemetry_allowed_modes]
# ci = false     # CI environments don't use custom telemetry
# cli = true     # CLI usage allows custom telemetry
# docker = true  # Docker deployments allow custom telemetry
# fastapi = true # FastAPI integrations allow custom telemetry
# mcp = true     # MCP integrations allow custom telemetry
# n8n = true     # n8n integrations allow custom telemetry
# pytest = false # Tests don't use custom telemetry
# python = false # Direct Python SDK usage doesn't use custom telemetry by default
`;

/**
 * The project-level variant: every setting commented out. A project file is merged over the
 * global one, so an explicit `mode = "off"` here would silently switch off what the user set
 * up globally; commented out, the project inherits it until a key is uncommented.
 */
export function commentedOutTemplate(template: string = TELEMETRY_TOML_TEMPLATE): string {
  return template
    .split("\n")
    .map((line) => (line.trim() === "" || line.trimStart().startsWith("#") ? line : `# ${line}`))
    .join("\n");
}
