// Bundles the front ends with esbuild: dist/cli.js, dist/server.js, dist/worker.js, dist/extension.js.
// Entries that do not exist yet are skipped, so the build grows with the project.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const entries = [
  { in: 'server/src/cli/main.ts', out: 'cli', banner: '#!/usr/bin/env node' },
  { in: 'server/src/lsp/main.ts', out: 'server', banner: '#!/usr/bin/env node' },
  // Fact extraction on worker threads, started by the CLI and the server for large scans.
  { in: 'server/src/engine/worker.ts', out: 'worker' },
  { in: 'client/src/extension.ts', out: 'extension', external: ['vscode'] },
].filter((e) => existsSync(e.in));

const contexts = await Promise.all(
  entries.map((e) =>
    esbuild.context({
      entryPoints: { [e.out]: e.in },
      outdir: 'dist',
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: true,
      external: e.external ?? [],
      banner: e.banner ? { js: e.banner } : undefined,
      logLevel: 'warning',
      loader: { '.md': 'text' },
      // web-tree-sitter's ESM build needs import.meta.url, which CommonJS bundles lack.
      // jsonc-parser's UMD build requires its modules by computed names, which a bundle cannot resolve.
      alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/tree-sitter.cjs', 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
    }),
  ),
);
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
// tree-sitter's runtime and the Python grammar are loaded at run time from beside the bundles.
mkdirSync('dist', { recursive: true });
for (const wasm of ['node_modules/web-tree-sitter/tree-sitter.wasm', 'node_modules/tree-sitter-python/tree-sitter-python.wasm']) {
  copyFileSync(wasm, `dist/${wasm.slice(wasm.lastIndexOf('/') + 1)}`);
}
