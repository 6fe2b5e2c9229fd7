// @ts-check
// The standard entry point of VS Code extension tests: @vscode/test-electron's runTests()
// with the extension under development (the repository) and the bundled suites
// (test/e2e/out/suite/index.js) on a fresh copy of the sample workspace.
//
// With READINESS_E2E_CODE_SERVER=1 (what `npm run test:e2e` sets), runTests starts
// test/e2e/bin/code-server-vscode.mjs instead of desktop VS Code: code-server and a
// headless Chromium, offline. Without it, runTests downloads desktop VS Code (needs a
// network and a display) and runs the very same suites there.
//
//   node test/e2e/runTest.mjs          exits with the extension host's exit code
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeSettings } from './lib/codeServer.mjs';
import { harnessRequire, REPO, SAMPLE, SUITE_INDEX, VSCODE_SHIM } from './lib/paths.mjs';
import { removeTemp, tempDir } from './lib/processes.mjs';

export function useCodeServer() {
  return process.env.READINESS_E2E_CODE_SERVER === '1';
}

/** A fresh copy of examples/shop that the tests may change, in a temporary directory of its own (removeTemp its parent). */
export function copySample(/** @type {string} */ prefix) {
  const dir = tempDir(prefix);
  const workspace = path.join(dir, 'shop');
  fs.cpSync(SAMPLE, workspace, { recursive: true });
  return workspace;
}

/**
 * Runs the extension-host suites. `resultsFile` receives the suites' per-test results
 * (written by the suite runner inside the extension host); with `quiet`, the host's own
 * reporter output goes to test-output/e2e only (printed if the host fails).
 * @param {{ resultsFile?: string, quiet?: boolean }} [options]
 * @returns {Promise<number>} the exit code (0 when every test passed)
 */
export async function runExtensionTests(options = {}) {
  /** @type {typeof import('@vscode/test-electron')} */
  const { runTests } = harnessRequire('@vscode/test-electron');
  const workspace = copySample('readiness-e2e-vscode-');
  const profile = tempDir('readiness-e2e-profile-');
  // The same quiet profile for code-server and for desktop VS Code.
  writeSettings(path.join(profile, 'user-data'));
  try {
    /** @type {import('@vscode/test-electron/out/runTest').TestOptions} */
    const testOptions = {
      extensionDevelopmentPath: REPO,
      extensionTestsPath: SUITE_INDEX,
      launchArgs: [workspace, `--user-data-dir=${path.join(profile, 'user-data')}`, `--extensions-dir=${path.join(profile, 'extensions')}`, '--disable-extensions'],
      extensionTestsEnv: {
        READINESS_E2E_CLI: path.join(REPO, 'dist', 'cli.js'),
        ...(options.resultsFile ? { READINESS_E2E_RESULTS: options.resultsFile } : {}),
        ...(options.quiet ? { READINESS_E2E_HOST_OUTPUT: 'file' } : {}),
      },
    };
    if (useCodeServer()) testOptions.vscodeExecutablePath = VSCODE_SHIM;
    return await runTests(testOptions);
  } catch (e) {
    // runTests rejects with TestRunFailedError when the executable exits non-zero.
    const code = /** @type {{ code?: number }} */ (e).code;
    if (typeof code === 'number') return code;
    throw e;
  } finally {
    removeTemp(path.dirname(workspace));
    removeTemp(profile);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runExtensionTests().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
