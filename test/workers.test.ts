// Fact extraction on worker threads gives exactly what the single-threaded path gives:
// the same facts per file and the same findings, checks, services, errors and scores.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { allRules } from '../rules/index';
import { generateFiles, specForFiles } from '../bench/generate';
import { MemoryFactsCache } from '../server/src/engine/extract';
import { scan, type ScanOutcome } from '../server/src/engine/index';
import { extractInPool } from '../server/src/engine/pool';

// Run from source: the worker is the TypeScript entry, loaded through the tsx hook the worker inherits.
const WORKER = path.join(__dirname, '..', 'server', 'src', 'engine', 'worker.ts');

let tmp: string;

function comparable(o: ScanOutcome): unknown {
  const { stats, ...rest } = o;
  return { ...rest, stats: { ...stats, durationMs: 0 } };
}

describe('worker-thread extraction', () => {
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'readiness-workers-'));
    // A small monorepo from the benchmark's generator: TS and Python services with routes,
    // manifests, compose, Dockerfiles, docs, CI, plus a node_modules and dist/ to skip.
    for (const [rel, text] of generateFiles(specForFiles(400))) {
      const abs = path.join(tmp, rel);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, text);
    }
    fs.writeFileSync(path.join(tmp, 'services', 'not-utf8.txt'), Buffer.from([0xff, 0xfe, 0x00, 0x41]));
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('scans a tree to identical results with and without workers', async () => {
    const rules = [...allRules];
    const single = await scan({ roots: [tmp], rules, cache: new MemoryFactsCache(), workers: 0 });
    const pooled = await scan({ roots: [tmp], rules, cache: new MemoryFactsCache(), workers: 1, workerScript: WORKER });
    assert.ok(single.stats.files > 300, `the tree should have a few hundred files, got ${single.stats.files}`);
    assert.ok(single.findings.length > 0 && single.checks.length > 10, 'the tree should exercise many rules');
    assert.ok(single.files.some((f) => f.facts.routesPy) && single.files.some((f) => f.facts.routesTs), 'Python and TS route facts should be extracted');
    assert.deepEqual(comparable(pooled), comparable(single));
  });

  it('extracts on the workers, in order, when the main thread does not share', async () => {
    const items = [
      { relPath: 'k8s/deploy.yaml', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n' },
      { relPath: 'app/main.py', text: 'from fastapi import FastAPI\napp = FastAPI()\n@app.get("/health")\ndef health():\n    return {}\n' },
      ...Array.from({ length: 60 }, (_, i) => ({ relPath: `notes/n${i}.md`, text: `# Note ${i}\n` })),
    ];
    const out = await extractInPool(items, { workers: 1, script: WORKER, mainShares: false });
    assert.ok(out.batches.workers > 0 && out.batches.main === 0, `expected every batch on the worker, got ${JSON.stringify(out.batches)}`);
    assert.equal(out.results.length, items.length);
    assert.ok(out.results[0]!.facts.kinds.includes('k8s'));
    assert.equal(out.results[1]!.facts.routesPy?.routes.length, 1);
    assert.equal(out.results[61]!.facts.kinds.join(','), 'markdown');
  });

  it('falls back to the main thread when a worker cannot start', async () => {
    const items = Array.from({ length: 60 }, (_, i) => ({ relPath: `notes/n${i}.md`, text: `# Note ${i}\n` }));
    const out = await extractInPool(items, { workers: 1, script: path.join(tmp, 'no-such-worker.js'), mainShares: false });
    assert.equal(out.batches.workers, 0);
    assert.equal(out.results.filter(Boolean).length, items.length);
  });
});
