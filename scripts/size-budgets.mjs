// Size budgets of every published package, run by `pnpm test` after the build:
//   tarball      what `npm pack` produces (what users download)
//   entry        the main entry's own code, minified + gzipped, dependencies left out
//   + deps       the same entry with its dependencies bundled (for information: the app's bundler
//                shares them with whatever else uses OpenTelemetry)
// Exits 1 if a package exceeds a budget. Raise a budget in the same commit that explains why.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const KiB = 1024;
/**
 * Budgets in KiB: ceilings about 1.4x the sizes of 2026-12-01, to catch accidental bloat (a
 * dependency bundled in, stray files shipped, a map grown huge), not a week's ordinary growth.
 */
const BUDGETS = {
  "packages/core": { tarball: 340, entry: 32 },
  "packages/exporter-otlp": { tarball: 24, entry: 5 },
  "packages/exporter-posthog": { tarball: 50, entry: 9 },
  "packages/exporter-langfuse": { tarball: 32, entry: 6 },
  "packages/gateway-stream": { tarball: 43, entry: 8 },
};

const root = new URL("..", import.meta.url).pathname;

async function minGzip(entry, external) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "node",
    external: ["node:*", ...external],
    write: false,
    logLevel: "silent",
  });
  return gzipSync(result.outputFiles[0].contents).length;
}

/**
 * `npm pack` of a copy of the package without the files a previous build left in dist/: turbo
 * restores a cached dist/ on top of an older one, so a developer's dist/ can hold old chunks that
 * a clean build (CI, a release from a fresh clone) would not ship. A file is stale when it is
 * older than the build's newest file by more than a build takes.
 */
function packWithoutStaleFiles(pkgDir) {
  const listed = JSON.parse(
    execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: pkgDir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }),
  )[0].files.map((f) => f.path);
  const mtime = (file) => statSync(join(pkgDir, file)).mtimeMs;
  const newest = Math.max(...listed.filter((f) => f.startsWith("dist/")).map(mtime));
  const copy = mkdtempSync(join(tmpdir(), "size-budget-"));
  for (const file of listed) {
    if (file.startsWith("dist/") && mtime(file) < newest - 10 * 60_000) continue;
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    copyFileSync(join(pkgDir, file), join(copy, file));
  }
  const [packed] = JSON.parse(
    execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: copy,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }),
  );
  rmSync(copy, { recursive: true, force: true });
  return packed;
}

const rows = [];
const over = [];
for (const [dir, budget] of Object.entries(BUDGETS)) {
  const pkgDir = join(root, dir);
  const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  const packed = packWithoutStaleFiles(pkgDir);
  const entry = join(pkgDir, pkg.exports["."].import.default);
  const deps = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies });
  const own = await minGzip(entry, deps);
  const withDeps = await minGzip(entry, []);
  rows.push([pkg.name, packed.size, budget.tarball, own, budget.entry, withDeps]);
  if (packed.size > budget.tarball * KiB)
    over.push(`${pkg.name}: tarball ${kib(packed.size)} > ${budget.tarball} KiB`);
  if (own > budget.entry * KiB) over.push(`${pkg.name}: entry ${kib(own)} > ${budget.entry} KiB`);
}

function kib(bytes) {
  return `${(bytes / KiB).toFixed(1)} KiB`;
}
const width = Math.max(...rows.map((r) => r[0].length));
console.log(
  `Sizes in KiB (budget)\n  ${"package".padEnd(width)}  tarball (budget)       entry min+gz (budget)  + deps min+gz`,
);
for (const [name, tarball, tBudget, own, eBudget, withDeps] of rows) {
  console.log(
    `  ${name.padEnd(width)}  ${kib(tarball).padStart(9)} (${String(tBudget).padStart(4)})        ${kib(own).padStart(9)} (${String(eBudget).padStart(4)})        ${kib(withDeps).padStart(9)}`,
  );
}
if (over.length > 0) {
  console.log(`\nover budget:\n  ${over.join("\n  ")}`);
  process.exit(1);
}
