// Property test for scan() on small random workspaces (bounded, fixed seed).
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { arbTree, checkScan } from './fuzz-scan';

describe('property: scan() on random small workspaces', function () {
  this.timeout(120_000);

  it('finishes, points inside its files, gives JSON data, and is deterministic', async () => {
    await fc.assert(fc.asyncProperty(arbTree, checkScan), { seed: 20261122, numRuns: 25 });
  });

  it('generated trees have distinct paths, none also a directory', () => {
    fc.assert(
      fc.property(arbTree, (files) => {
        const paths = files.map((f) => f.path);
        assert.equal(new Set(paths).size, paths.length);
        for (const p of paths) assert.ok(!paths.some((q) => q.startsWith(p + '/')), p);
      }),
      { seed: 1, numRuns: 50 },
    );
  });
});

describe('scan regressions found by the fuzz run', function () {
  this.timeout(60_000);
  it('a .gitignore with huge pattern lines (their regex would be too large) does not stop the scan', async () => {
    const huge = 'x'.repeat(32764);
    await checkScan([{ path: '.gitignore', text: `${huge}.env\n${huge}.env\nservices/api/.env.local\n` }, { path: 'services/api/.env.local', text: 'DB_PASSWORD=Kq3zW8pT5vM1xN6b\n' }]);
  });
});
