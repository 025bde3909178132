import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * Core keeps only the map from the Python file's sections to first-party packages and the
 * on/off rule of those sections; every exporter's schema, default and policy lives in its
 * plugin. This reads core's source (not its comments) and fails on an exporter's import, option
 * name, default value or environment variable.
 */
const SRC = resolve(import.meta.dirname, "../src");

/** Files allowed to name exporters' things, and why. */
const ALLOWED: Record<string, string> = {
  // The commented file `init` writes: Python's template, text the user edits, not behaviour.
  "config/template.ts": "the template init writes",
  // DESIGN.md names these error classes as core's (GatewayApiKeyMissingError, LangfuseCredentialsError).
  "errors.ts": "error classes DESIGN.md puts in core",
};

/** Imports core must never make: exporter packages and the clients they wrap. */
const FORBIDDEN_IMPORT =
  /^(@pipelex\/telemetry-(exporter-|gateway)|posthog-node|@langfuse\/|@opentelemetry\/(otlp-|exporter-))/;

/** Option names of the first-party sections (as written and camelCase), and their policy helpers. */
const FORBIDDEN_NAMES = new Set([
  "identified",
  "anonymous",
  "user_id",
  "api_key",
  "public_key",
  "publicKey",
  "secret_key",
  "secretKey",
  "redact_properties",
  "redactProperties",
  "content_max_length",
  "contentMaxLength",
  "output_class_names",
  "outputClassNames",
  "geoip",
  "flushAt",
  "timeout_ms",
  "posthogRedactionPolicy",
  "posthogOptionsSchema",
  "langfuseOptionsSchema",
  "otlpOptionsSchema",
]);

/** Defaults and environment variables of the exporters, anywhere in a string. */
const FORBIDDEN_TEXT = [
  "us.i.posthog.com",
  "eu.i.posthog.com",
  "cloud.langfuse.com",
  "LANGFUSE_",
  "POSTHOG_",
  "OTEL_EXPORTER_OTLP",
  ":4318",
  "/v1/traces",
  "http/protobuf",
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    const isTest = /\.test\.ts$|\.test-helper\.ts$/.test(entry.name);
    return entry.name.endsWith(".ts") && !isTest ? [path] : [];
  });
}

/**
 * An identifier that names an option or an export: a property (`{ apiKey: ... }`, `o.apiKey`,
 * `{ apiKey } = o`), an exported declaration or an import. A local variable that happens to be
 * called `secretKey` is not an exporter's schema.
 */
function namesAnOption(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent) || ts.isPropertyDeclaration(parent)) {
    return parent.name === node;
  }
  if (ts.isPropertyAccessExpression(parent)) return parent.name === node;
  if (ts.isShorthandPropertyAssignment(parent)) return true;
  if (ts.isBindingElement(parent)) return (parent.propertyName ?? parent.name) === node;
  if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent)) return true;
  if (ts.isVariableDeclaration(parent) || ts.isFunctionDeclaration(parent)) {
    const statement = ts.isVariableDeclaration(parent) ? parent.parent.parent : parent;
    return (
      ts.canHaveModifiers(statement) &&
      (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
    );
  }
  return false;
}

interface Finding {
  file: string;
  line: number;
  what: string;
}

/** Identifiers, string literals and module specifiers: what the code uses, not what its comments say. */
function findExporterKnowledge(file: string, text: string): Finding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const findings: Finding[] = [];
  const at = (node: ts.Node, what: string) =>
    findings.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, what });
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      const specifier = (node.moduleSpecifier as ts.StringLiteral).text;
      if (FORBIDDEN_IMPORT.test(specifier)) at(node, `imports ${specifier}`);
      return;
    }
    if (ts.isIdentifier(node) && FORBIDDEN_NAMES.has(node.text) && namesAnOption(node))
      at(node, `names ${node.text}`);
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateTail(node)
    ) {
      const value = node.text;
      if (FORBIDDEN_NAMES.has(value)) at(node, `names "${value}"`);
      for (const text of FORBIDDEN_TEXT) if (value.includes(text)) at(node, `holds "${text}"`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

describe("core holds no exporter's schema, default or policy", () => {
  const files = sourceFiles(SRC).filter((file) => !(relative(SRC, file) in ALLOWED));

  it("reads core's whole source (the check can see something)", () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.some((f) => f.endsWith("config/document.ts"))).toBe(true);
  });

  it("no exporter import, option name, default or variable in core's code", () => {
    const findings = files.flatMap((file) =>
      findExporterKnowledge(relative(SRC, file), readFileSync(file, "utf8")),
    );
    expect(findings).toEqual([]);
  });

  it("the check fails on what used to be in core (a PostHog schema and Langfuse's default URL)", () => {
    const before = `
      import { z } from "zod";
      export const posthogOptionsSchema = z.strictObject({
        mode: z.enum(["off", "anonymous", "identified"]),
        redactProperties: z.array(z.string()),
      });
      const LANGFUSE_DEFAULT_ENDPOINT = "https://cloud.langfuse.com"; // cloud.langfuse.com in a comment is fine
    `;
    const whats = findExporterKnowledge("sections.ts", before).map((f) => f.what);
    // A local variable is not a schema.
    expect(findExporterKnowledge("ok.ts", "const secretKey = 1;\nexport const x = secretKey + 1;\n")).toEqual(
      [],
    );
    expect(whats).toEqual(
      expect.arrayContaining([
        "names posthogOptionsSchema",
        'names "anonymous"',
        'names "identified"',
        "names redactProperties",
        'holds "cloud.langfuse.com"',
      ]),
    );
    expect(
      findExporterKnowledge("ok.ts", "// us.i.posthog.com, LANGFUSE_PUBLIC_KEY\nconst x = 1;\n"),
    ).toEqual([]);
  });
});
