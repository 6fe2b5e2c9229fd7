// @ts-check
// The extension-host suites (test/e2e/suite), started the standard way: runTest.mjs →
// @vscode/test-electron's runTests → (here) code-server + headless Chromium. They run while
// this file loads; each test the extension host ran is then reported here by name with its
// outcome, after the check that the host exited with code 0.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { removeTemp, tempDir } from '../lib/processes.mjs';
import { runExtensionTests, useCodeServer } from '../runTest.mjs';

/** @typedef {{ title: string, state: 'passed' | 'failed', durationMs?: number, error?: string }} HostTestResult */

const dir = tempDir('readiness-e2e-results-');
const resultsFile = path.join(dir, 'results.json');
const started = Date.now();
/** @type {number | undefined} */
let exitCode;
/** @type {unknown} */
let runError;
// runTests answers Ctrl+C by closing its VS Code; the whole run stops too, not just this part.
let interrupted = false;
const onInterrupt = () => (interrupted = true);
process.on('SIGINT', onInterrupt);
try {
  exitCode = await runExtensionTests({ resultsFile, quiet: true });
} catch (e) {
  runError = e;
}
process.off('SIGINT', onInterrupt);
if (interrupted) {
  console.error('test:e2e: interrupted');
  process.exit(130);
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
/** @type {HostTestResult[]} */
const results = fs.existsSync(resultsFile) ? JSON.parse(fs.readFileSync(resultsFile, 'utf8')) : [];
removeTemp(dir);

describe(`VS Code extension host (${useCodeServer() ? 'code-server + Chromium' : 'desktop VS Code'}, through runTests; ${seconds} s)`, function () {
  it('runs the suites and exits with code 0', function () {
    if (runError) throw runError;
    assert.ok(results.length > 0, 'the extension host reported its tests (none ran: see the log above)');
    assert.equal(exitCode, 0, `the extension host exited with ${exitCode}`);
  });

  for (const result of results) {
    it(`[host] ${result.title}`, function () {
      if (result.state !== 'passed') {
        const error = new Error(`failed in the extension host:\n${result.error ?? '(no error text)'}`);
        error.stack = error.message;
        throw error;
      }
    });
  }
});
