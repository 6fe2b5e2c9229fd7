// Bundles bench/bench.ts to dist/bench.js and runs it with --expose-gc, so that the
// benchmark measures the same bundled engine the CLI and the server ship.
//   node bench/run.mjs            run the benchmark
//   node bench/run.mjs --profile  also write a CPU profile to bench/profiles/
//   node bench/run.mjs --only-lsp the language server's as-you-type latency only
//   node bench/run.mjs --build-only bundle the benchmark scripts and stop
// Then bench/secrets-compare.mjs compares the secrets pass with secretlint, and
// bench/lsp-typing.ts (bundled to dist/lsp-typing.js) times diagnostics as the user types
// against the bundled server (dist/server.js, built by `npm run bench`).
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
await esbuild.build({
  entryPoints: { bench: path.join(repo, 'bench', 'bench.ts'), 'scan-once': path.join(repo, 'bench', 'scan-once.ts'), worker: path.join(repo, 'server', 'src', 'engine', 'worker.ts'), 'lsp-typing': path.join(repo, 'bench', 'lsp-typing.ts'), 'session-profile': path.join(repo, 'bench', 'session-profile.ts') },
  outdir: path.join(repo, 'dist'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  // The worktree's node_modules may be a link: resolve packages where they appear, not where they point.
  preserveSymlinks: true,
  loader: { '.md': 'text' },
  // As in scripts/build.mjs: web-tree-sitter's ESM build needs import.meta.url, which CommonJS bundles lack.
  alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/tree-sitter.cjs', 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
});
// tree-sitter's runtime and the Python grammar load from beside the bundles (as scripts/build.mjs copies them).
for (const wasm of ['node_modules/web-tree-sitter/tree-sitter.wasm', 'node_modules/tree-sitter-python/tree-sitter-python.wasm']) {
  fs.copyFileSync(path.join(repo, wasm), path.join(repo, 'dist', path.basename(wasm)));
}
const lspTyping = () => spawnSync(process.execPath, [path.join(repo, 'dist', 'lsp-typing.js')], { stdio: 'inherit', cwd: repo }).status ?? 1;
if (process.argv.includes('--build-only')) process.exit(0);
if (process.argv.includes('--only-lsp')) process.exit(lspTyping());
const profile = process.argv.includes('--profile');
const args = ['--expose-gc', ...(profile ? ['--enable-source-maps', '--cpu-prof', `--cpu-prof-dir=${path.join(repo, 'bench', 'profiles')}`] : []), path.join(repo, 'dist', 'bench.js')];
const result = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: repo });
if (result.status !== 0) process.exit(result.status ?? 1);
// Side by side: the secrets pass against secretlint's recommended preset on one generated tree.
const secrets = spawnSync(process.execPath, [path.join(repo, 'bench', 'secrets-compare.mjs')], { stdio: 'inherit', cwd: repo });
if (secrets.status !== 0) process.exit(secrets.status ?? 1);
process.exit(lspTyping());
