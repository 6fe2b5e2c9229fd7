// Bundles the front ends with esbuild: dist/cli.js, dist/server.js, dist/extension.js.
// Entries that do not exist yet are skipped, so the build grows with the project.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const entries = [
  { in: 'server/src/cli/main.ts', out: 'cli', banner: '#!/usr/bin/env node' },
  { in: 'server/src/lsp/main.ts', out: 'server', banner: '#!/usr/bin/env node' },
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
    }),
  ),
);
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
