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
