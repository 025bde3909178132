import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const repo = fileURLToPath(new URL("../../../", import.meta.url));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const PACKAGES = ["core", "exporter-otlp", "exporter-posthog"];

// The README's example uses a few of the app's own values; declared here, as an app has them.
const PRELUDE = `declare const endpoint: string;
declare const apiKey: string;
declare const runId: string;
declare const prompt: string;
declare function llm(prompt: string): Promise<{ text: string; inTok: number; outTok: number }>;
`;
// Type-level guards after the example: with skipLibCheck (what `tsc --init` and most apps use), a
// type that a .d.ts imports from a package the layout hides silently becomes \`any\`; these fail then.
const GUARDS = `
type IsAny<T> = 0 extends 1 & T ? true : false;
const exporterIsTyped: IsAny<SpanExporter> = false;
const spanIsTyped: IsAny<ReadableSpan> = false;
const resultIsTyped: IsAny<ExportResult> = false;
const telemetryIsTyped: IsAny<typeof telemetry> = false;
const answerIsString: string = answer;
`;
// What a new user's tsconfig says: strict, Node's ESM resolution.
const TSCONFIG = {
  compilerOptions: {
    strict: true,
    module: "nodenext",
    moduleResolution: "nodenext",
    target: "es2022",
    noEmit: true,
    skipLibCheck: true,
    types: ["node"],
  },
  files: ["example.ts"],
};

async function readmeExample(): Promise<string> {
  const readme = await readFile(join(repo, "README.md"), "utf8");
  const block = /<!-- readme-example[^>]*-->\s*```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error("README.md has no <!-- readme-example --> block");
  return block;
}

/** Installs the packed tarballs into a fresh app folder with one package manager. */
async function installApp(dir: string, command: string, args: string[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  await run(command, args, { cwd: dir, timeout: 150_000, env: { ...process.env, CI: "true" } });
  await writeFile(join(dir, "tsconfig.json"), JSON.stringify(TSCONFIG));
}

async function typecheck(dir: string, source: string): Promise<string> {
  await writeFile(join(dir, "example.ts"), `${PRELUDE}${source}${GUARDS}export {};\n`);
  return run(process.execPath, [tsc, "-p", dir], { cwd: dir }).then(
    () => "",
    (error: { stdout?: string }) => error.stdout || String(error),
  );
}

// Tarballs as `pnpm pack` makes them (workspace: ranges rewritten), installed the way each
// package manager lays out node_modules: npm and yarn hoist every dependency to the top,
// pnpm exposes only the app's direct dependencies.
const layouts: { name: string; command: string; args: (tarballs: string[]) => string[] }[] = [
  {
    name: "npm",
    command: "npm",
    args: (t) => ["install", "--no-audit", "--no-fund", ...t, "@types/node@20"],
  },
  { name: "pnpm", command: "pnpm", args: (t) => ["add", ...t, "@types/node@20"] },
  {
    name: "yarn",
    command: "npx",
    args: (t) => [
      "--yes",
      "yarn@1.22.22",
      "add",
      "--non-interactive",
      "--no-lockfile",
      ...t.map((f) => `file:${f}`),
      "@types/node@20",
    ],
  },
];

describe("the README's example compiles in a fresh app (strict TypeScript, nodenext)", () => {
  let root: string;
  let tarballs: string[];
  const installed = new Map<string, Promise<string>>();
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "readme-example-"));
    const packed = join(root, "tarballs");
    for (const pkg of PACKAGES) {
      await run("pnpm", ["pack", "--pack-destination", packed], { cwd: join(repo, "packages", pkg) });
    }
    tarballs = (await readdir(packed)).map((f) => join(packed, f));
    // Installs run side by side: they wait on the registry more than on the CPU.
    for (const layout of layouts) {
      const dir = join(root, layout.name);
      installed.set(
        layout.name,
        installApp(dir, layout.command, layout.args(tarballs)).then(() => dir),
      );
    }
    await Promise.allSettled(installed.values());
  });
  // Three node_modules trees: not left behind in the temp folder.
  afterAll(() => rm(root, { recursive: true, force: true }));

  it.each(layouts.map((l) => l.name))("with %s", async (name) => {
    const dir = await installed.get(name)!;
    expect(await typecheck(dir, await readmeExample())).toBe("");
  });

  it("and the check can fail: a wrong option in the example is reported", async () => {
    const dir = await installed.get("npm")!;
    const broken = (await readmeExample()).replace('mode: "anonymous"', 'mode: "anonymus"');
    expect(await typecheck(dir, broken)).toMatch(/anonymus/);
  });
});
