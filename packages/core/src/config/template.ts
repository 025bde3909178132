/**
 * The file `pipelex-telemetry init` writes. Every stream is off; the keys and sections are the
 * ones the Python implementation's `init` writes, so one file serves both implementations.
 * Embedded as a string (not read from disk) so the CLI finds it however it is installed.
 */
export const TELEMETRY_TOML_TEMPLATE = `################################################################################
# Pipelex custom telemetry: your own PostHog, Langfuse, OTLP collectors and
# exporter plugins. Every stream below is off until you turn it on.
#
# Layers, later wins (deep-merged):
#   ~/.pipelex/telemetry.toml, ~/.pipelex/telemetry_override.toml,
#   <project>/.pipelex/telemetry.toml, <project>/.pipelex/telemetry_override.toml
# Strings may use \${VAR} or \${env:VAR}. A placeholder left unset is fine in a
# stream that is off, and an error in one that is on.
#
# DO_NOT_TRACK=1 turns every stream off, whatever this file says.
# Check the result with:  pipelex-telemetry status   and   pipelex-telemetry preview
################################################################################

# ------------------------------------------------------------------------------
# PostHog (@pipelex/telemetry-exporter-posthog). Redacts content by default.
# On when mode is not "off" AND tracing.enabled = true.
# ------------------------------------------------------------------------------
[custom_posthog]
mode = "off"                       # "off" | "anonymous" | "identified"
# user_id = "your_user_id"         # required when mode = "identified"
endpoint = "\${POSTHOG_ENDPOINT}"   # e.g. https://us.i.posthog.com or https://eu.i.posthog.com
api_key = "\${POSTHOG_API_KEY}"     # project API key (phc_...)
geoip = true
debug = false
redact_properties = ["prompt", "system_prompt", "response", "file_path", "url"]

[custom_posthog.tracing]
enabled = false                    # send AI spans to your PostHog

[custom_posthog.tracing.capture]   # all false = everything redacted
content = false                    # prompts, completions, error text
# content_max_length = 1000        # cut captured content to this length
pipe_codes = false                 # pipe codes in span names and attributes
output_class_names = false         # output class names in span names and attributes

# ------------------------------------------------------------------------------
# Portkey: accepted for compatibility with the Python implementation; no effect.
# ------------------------------------------------------------------------------
[custom_portkey]
force_debug_enabled = false
force_tracing_enabled = false

# ------------------------------------------------------------------------------
# Langfuse (@pipelex/telemetry-exporter-langfuse). Receives FULL span data.
# ------------------------------------------------------------------------------
[langfuse]
enabled = false
# endpoint = "https://cloud.langfuse.com"   # or your self-hosted Langfuse
# public_key = "\${LANGFUSE_PUBLIC_KEY}"
# secret_key = "\${LANGFUSE_SECRET_KEY}"

# ------------------------------------------------------------------------------
# OTLP collectors (@pipelex/telemetry-exporter-otlp), one per [[otlp]] entry.
# Each entry present is on. Receives FULL span data.
# ------------------------------------------------------------------------------
# [[otlp]]
# name = "collector"
# endpoint = "http://localhost:4318/v1/traces"   # https:// except on loopback
# headers = { Authorization = "Bearer \${env:OTLP_TOKEN}" }

# ------------------------------------------------------------------------------
# Third-party exporter plugins, by npm package name (install it in your app).
# ------------------------------------------------------------------------------
# [[exporters]]
# package = "pipelex-telemetry-exporter-example"
# options = { }

# ------------------------------------------------------------------------------
# Runtime modes allowed to send custom telemetry. ci and test default to false,
# every other mode (cli, server, ...) to true.
# ------------------------------------------------------------------------------
# [telemetry_allowed_modes]
# ci = false
# test = false
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
