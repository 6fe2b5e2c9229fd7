// The entry point VS Code loads as `extensionTestsPath` (bundled to test/e2e/out/suite/index.js):
// runs the suites with mocha inside the extension host. The spec reporter's output goes to
// the host's console; with READINESS_E2E_RESULTS set, each test's outcome is also written
// there as JSON, so that the runner outside can report every test by name.
import * as fs from 'node:fs';
import Mocha from 'mocha';
import { defineTests } from './extension.e2e';

export interface HostTestResult {
  title: string;
  state: 'passed' | 'failed';
  durationMs?: number;
  error?: string;
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 90_000, color: false, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'readiness-e2e', mocha);
  // After pre-require, so that describe/it exist.
  defineTests();
  const results: HostTestResult[] = [];
  const resultsFile = process.env.READINESS_E2E_RESULTS;
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      if (resultsFile) fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2));
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else if (results.length === 0) reject(new Error('no extension-host test ran'));
      else resolve();
    });
    runner.on('pass', (test) => results.push({ title: test.titlePath().join(' › '), state: 'passed', durationMs: test.duration }));
    runner.on('fail', (test, err: Error) => results.push({ title: test.titlePath().join(' › '), state: 'failed', durationMs: test.duration, error: err.stack ?? err.message }));
  });
}
