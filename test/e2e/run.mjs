// @ts-check
// npm run test:e2e — the real-editor end-to-end tests (see test/e2e/README.md):
//   1. builds the extension, the server and the CLI (dist/) and bundles the extension-host
//      suites (test/e2e/suite → test/e2e/out/suite/index.js);
//   2. runs the harness's mocha on test/e2e/specs: Neovim as a second LSP client, the
//      extension-host suites through @vscode/test-electron's runTests on code-server, and the
//      UI smoke test in headless Chromium;
//   3. stops any process group a test left behind (none should be).
// Needs the harness: `bash test/e2e/setup.sh`.
//   node test/e2e/run.mjs [mocha options, e.g. --grep Neovim]
//   node test/e2e/run.mjs --build-only     builds and bundles, runs nothing
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { E2E, MOCHA, OUT, REPO, requireHarness } from './lib/paths.mjs';
import { groupGone, signalGroup, stopRecordedGroups } from './lib/processes.mjs';

try {
  requireHarness();
} catch (e) {
  console.error(/** @type {Error} */ (e).message);
  process.exit(1);
}

const build = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
// The root tsconfig leaves test/e2e out: its own tsconfig checks the suites and the runner.
const typecheck = spawnSync(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(E2E, 'tsconfig.json')], { cwd: REPO, stdio: 'inherit' });
if (typecheck.status !== 0) {
  console.error('test:e2e: test/e2e does not type-check (tsc -p test/e2e/tsconfig.json)');
  process.exit(typecheck.status ?? 1);
}

const esbuild = await import('esbuild');
fs.rmSync(OUT, { recursive: true, force: true });
await esbuild.build({
  entryPoints: { 'suite/index': path.join(E2E, 'suite', 'index.ts') },
  outdir: OUT,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  external: ['vscode'],
  loader: { '.md': 'text' },
  logLevel: 'warning',
  // mocha's parallel mode resolves worker files beside itself; the suites never use it.
  logOverride: { 'require-resolve-not-external': 'silent' },
});

const args = process.argv.slice(2);
if (args.includes('--build-only')) process.exit(0);

const groups = fs.mkdtempSync(path.join(os.tmpdir(), 'readiness-e2e-groups-'));
const env = { ...process.env, READINESS_E2E_GROUPS: groups, READINESS_E2E_CODE_SERVER: process.env.READINESS_E2E_CODE_SERVER ?? '1' };
// The runner in its own process group too, so that nothing it started can outlive it.
const mocha = spawn(process.execPath, [MOCHA, '--config', path.join(E2E, '.mocharc.json'), ...args], { cwd: REPO, env, stdio: 'inherit', detached: true });
const forward = (/** @type {NodeJS.Signals} */ signal) => () => {
  if (mocha.pid) signalGroup(mocha.pid, signal);
};
process.on('SIGINT', forward('SIGINT'));
process.on('SIGTERM', forward('SIGTERM'));
const code = await new Promise((resolve) => mocha.once('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));

const leftovers = stopRecordedGroups(groups);
// Whatever mocha started without a group of its own ends with it (SIGKILL reaches it a moment later).
if (mocha.pid && !(await groupGone(mocha.pid))) {
  signalGroup(mocha.pid, 'SIGKILL');
  leftovers.push(`processes of the test runner (process group ${mocha.pid})`);
}
fs.rmSync(groups, { recursive: true, force: true });
if (leftovers.length > 0) {
  console.error(`test:e2e: stopped processes the tests left running:\n  ${leftovers.join('\n  ')}`);
  process.exit(code === 0 ? 1 : code);
}
process.exit(code);
