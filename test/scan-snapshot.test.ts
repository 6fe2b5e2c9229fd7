// A scan whose inputs did not change returns the stored result of the last one: the same
// outcome as a fresh scan (but for its duration and cache hits), with no rule run and no facts
// decoded; any change to a file, the config, the options or the rules makes it scan again.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { allRules } from '../rules/index';
import { toJsonReport } from '../server/src/cli/format/json';
import { CACHE_FILE_NAME, DiskFactsCache, SNAPSHOT_FILE_NAME } from '../server/src/engine/diskcache';
import { MemoryFactsCache } from '../server/src/engine/extract';
import { scan, type ScanOptions, type ScanOutcome } from '../server/src/engine/index';
import type { FileFacts } from '../server/src/engine/types';

const FIXTURE = path.join(__dirname, 'fixtures', 'monorepo');
const rules = [...allRules];

/** Counts the facts the scan decoded from the cache. */
class CountingCache extends DiskFactsCache {
  gets = 0;
  override get(key: string): FileFacts | undefined {
    this.gets++;
    return super.get(key);
  }
}

/** Everything of an outcome but the duration and the cache hits, facts included. */
function comparable(o: ScanOutcome): unknown {
  return { ...o, stats: { ...o.stats, durationMs: 0, cacheHits: 0 }, files: o.files.map((f) => ({ root: f.root, path: f.path, absPath: f.absPath, hash: f.hash, size: f.size, facts: f.facts })) };
}

function jsonOf(o: ScanOutcome): string {
  const report = toJsonReport(o, rules);
  return JSON.stringify({ ...report, stats: { ...report.stats, durationMs: 0 } }, null, 1);
}

describe('scan result snapshot', () => {
  let tmp: string;
  let ws: string;
  let dir: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'readiness-snapshot-'));
    ws = path.join(tmp, 'ws');
    fs.cpSync(FIXTURE, ws, { recursive: true });
    fs.writeFileSync(path.join(ws, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 1, 2, 3]));
    dir = path.join(tmp, 'cache');
  });
  afterEach(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** A scan through a fresh cache instance loaded from disk, then saved: what the CLI does. */
  async function cached(extra: Partial<ScanOptions> = {}): Promise<{ outcome: ScanOutcome; cache: CountingCache; saved: ReturnType<DiskFactsCache['save']> }> {
    const cache = new CountingCache(dir, { version: 'test' });
    cache.load();
    const outcome = await scan({ roots: [ws], rules, cache, ...extra });
    return { outcome, cache, saved: cache.save() };
  }
  const fresh = (extra: Partial<ScanOptions> = {}): Promise<ScanOutcome> => scan({ roots: [ws], rules, cache: new MemoryFactsCache(), ...extra });

  it('returns the stored outcome for unchanged inputs, and scans again after a file or the config changes', async () => {
    const reference = await fresh();
    assert.ok(reference.findings.length > 0 && reference.skipped.length > 0, 'the fixture should have findings and a skipped file');

    const cold = await cached();
    assert.equal(cold.cache.snapshotHits, 0);
    assert.deepEqual(comparable(cold.outcome), comparable(reference));
    const snapshotFile = path.join(dir, SNAPSHOT_FILE_NAME);
    assert.equal(fs.statSync(snapshotFile).mode & 0o777, 0o600);

    const warm = await cached();
    assert.equal(warm.cache.snapshotHits, 1);
    assert.equal(warm.cache.gets, 0, 'no facts decoded for a stored result');
    assert.equal(warm.outcome.stats.cacheHits, reference.stats.files);
    assert.ok(warm.saved.ok && warm.saved.unchanged === true, 'nothing to write after a stored result');
    assert.equal(jsonOf(warm.outcome), jsonOf(reference));
    assert.deepEqual(comparable(warm.outcome), comparable(reference), 'facts are decoded when asked for');

    // One file changed: a real scan, the same as a fresh one.
    fs.appendFileSync(path.join(ws, 'services', 'api', 'src', 'server.ts'), '\nconsole.log("started");\n');
    const changed = await cached();
    assert.equal(changed.cache.snapshotHits, 0);
    assert.ok(changed.cache.gets > 0);
    const changedReference = await fresh();
    assert.equal(jsonOf(changed.outcome), jsonOf(changedReference));
    assert.deepEqual(comparable(changed.outcome), comparable(changedReference));
    assert.ok(changed.saved.ok && changed.saved.unchanged === undefined);
    const again = await cached();
    assert.equal(again.cache.snapshotHits, 1);
    assert.equal(jsonOf(again.outcome), jsonOf(changedReference));

    // The config changed: a rule turned off.
    const ruleId = changedReference.findings[0]!.ruleId;
    fs.writeFileSync(path.join(ws, '.readiness.yaml'), `rules:\n  ${ruleId}: off\n`);
    const configured = await cached();
    assert.equal(configured.cache.snapshotHits, 0);
    const configuredReference = await fresh();
    assert.ok(!configuredReference.findings.some((f) => f.ruleId === ruleId));
    assert.equal(jsonOf(configured.outcome), jsonOf(configuredReference));
    assert.deepEqual(comparable(configured.outcome), comparable(configuredReference));
    assert.equal((await cached()).cache.snapshotHits, 1);
  });

  it('scans again when the options differ, a file is skipped instead, or unsaved text is given', async () => {
    await cached();
    const ruleId = (await fresh()).findings[0]!.ruleId;
    const overridden = await cached({ ruleOverrides: { [ruleId]: 'off' } });
    assert.equal(overridden.cache.snapshotHits, 0);
    assert.equal(jsonOf(overridden.outcome), jsonOf(await fresh({ ruleOverrides: { [ruleId]: 'off' } })));
    assert.equal((await cached({ ruleOverrides: { [ruleId]: 'off' } })).cache.snapshotHits, 1);

    const ignored = await cached({ editorIgnore: ['packages/**'] });
    assert.equal(ignored.cache.snapshotHits, 0);
    assert.equal(jsonOf(ignored.outcome), jsonOf(await fresh({ editorIgnore: ['packages/**'] })));

    const fewer = await cached({ rules: rules.filter((r) => r.meta.id !== ruleId) });
    assert.equal(fewer.cache.snapshotHits, 0);

    // A file that became binary is skipped with a reason: a different input.
    await cached();
    fs.writeFileSync(path.join(ws, 'packages', 'shared', 'index.js'), Buffer.from([0, 1, 2, 0, 0, 0xff]));
    const binary = await cached();
    assert.equal(binary.cache.snapshotHits, 0);
    assert.equal(jsonOf(binary.outcome), jsonOf(await fresh()));

    const overlayFile = path.join(ws, 'services', 'worker', 'worker.js');
    const overlays = new Map([[overlayFile, fs.readFileSync(overlayFile, 'utf8')]]);
    await cached();
    const withOverlay = await cached({ overlays });
    assert.equal(withOverlay.cache.snapshotHits, 0, 'unsaved text never meets a stored result');
    assert.equal(jsonOf(withOverlay.outcome), jsonOf(await fresh({ overlays })));
  });

  it('ignores a damaged snapshot, and one whose facts are gone', async () => {
    const reference = await fresh();
    await cached();
    const file = path.join(dir, SNAPSHOT_FILE_NAME);
    const good = fs.readFileSync(file);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 3] ^= 0xff;
    fs.writeFileSync(file, flipped);
    const damaged = await cached();
    assert.equal(damaged.cache.snapshotHits, 0);
    assert.equal(jsonOf(damaged.outcome), jsonOf(reference));

    // A stored result without the facts cache it belongs to is not used.
    fs.writeFileSync(file, good);
    fs.rmSync(path.join(dir, CACHE_FILE_NAME));
    const orphan = await cached();
    assert.equal(orphan.cache.snapshotHits, 0);
    assert.equal(jsonOf(orphan.outcome), jsonOf(reference));
  });
});
