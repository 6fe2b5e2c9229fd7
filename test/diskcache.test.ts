// The persistent facts cache: round trip, damaged files, version changes, pruning.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { allRules } from '../rules/index';
import { CACHE_FILE_NAME, DiskFactsCache } from '../server/src/engine/diskcache';
import { EXTRACTOR_VERSION, analyseText, extractFacts, factsKey } from '../server/src/engine/extract';
import { scan } from '../server/src/engine/index';
import { contentHash } from '../server/src/engine/text';

const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: api:1.0\n';
const ANCHORS = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: &shared {k: v}\n  b: *shared\n';

let tmp: string;

function entry(rel: string, text: string): [string, ReturnType<typeof extractFacts>] {
  return [factsKey(rel, contentHash(text)), extractFacts(rel, text)];
}

describe('DiskFactsCache', () => {
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'readiness-cache-'));
  });
  afterEach(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('round-trips facts through the file, keeping shared YAML structure', () => {
    const dir = path.join(tmp, '.readiness-cache');
    const a = new DiskFactsCache(dir, { version: 'v1' });
    assert.deepEqual(a.load(), { ok: false, reason: 'not read: ENOENT' });
    const [k1, f1] = entry('deploy/api.yaml', DEPLOYMENT);
    const [k2, f2] = entry('deploy/cm.yaml', ANCHORS);
    a.set(k1, f1);
    a.set(k2, f2);
    const saved = a.save();
    assert.ok(saved.ok && saved.entries === 2 && saved.bytes === fs.statSync(path.join(dir, CACHE_FILE_NAME)).size);
    assert.equal(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8').split('\n').includes('*'), true);

    const b = new DiskFactsCache(dir, { version: 'v1' });
    assert.deepEqual(b.load(), { ok: true, entries: 2 });
    assert.deepEqual(b.get(k1), f1);
    assert.deepEqual(b.get(k2), f2);
    const data = (b.get(k2)!.yaml!.docs[0]!.value as { data: { a: object; b: object } }).data;
    assert.equal(data.a, data.b, 'an alias and its anchor are still one object');
    assert.equal(b.get('missing'), undefined);
  });

  it('serves a whole scan from a fresh instance loaded from disk', async () => {
    const ws = path.join(tmp, 'ws');
    fs.mkdirSync(path.join(ws, 'deploy'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'deploy', 'api.yaml'), DEPLOYMENT);
    fs.writeFileSync(path.join(ws, 'deploy', 'cm.yaml'), ANCHORS);
    fs.writeFileSync(path.join(ws, 'README.md'), '# x\n');
    const dir = path.join(tmp, 'cache');
    const cold = new DiskFactsCache(dir);
    cold.load();
    const first = await scan({ roots: [ws], rules: [...allRules], cache: cold });
    assert.equal(first.stats.cacheHits, 0);
    assert.ok(cold.save().ok);
    const warm = new DiskFactsCache(dir);
    assert.deepEqual(warm.load(), { ok: true, entries: 3 });
    const second = await scan({ roots: [ws], rules: [...allRules], cache: warm });
    assert.equal(second.stats.cacheHits, 3);
    assert.deepEqual(
      second.files.map((f) => [f.path, f.facts.kinds]),
      first.files.map((f) => [f.path, f.facts.kinds]),
    );
    assert.deepEqual(second.findings, first.findings);
  });

  it('ignores damaged files: garbage, truncation, a flipped byte, a bad payload', () => {
    const dir = path.join(tmp, 'c');
    const file = path.join(dir, CACHE_FILE_NAME);
    const a = new DiskFactsCache(dir);
    const [k, f] = entry('a.yaml', DEPLOYMENT);
    a.set(k, f);
    assert.ok(a.save().ok);
    const good = fs.readFileSync(file);

    const attempt = (bytes: Buffer): string => {
      fs.writeFileSync(file, bytes);
      const c = new DiskFactsCache(dir);
      const r = c.load();
      assert.equal(c.get(k), undefined);
      assert.equal(c.size, 0);
      return r.ok ? 'ok' : r.reason;
    };
    assert.equal(attempt(Buffer.from('not a cache at all')), 'not a facts cache');
    assert.equal(attempt(Buffer.alloc(0)), 'not a facts cache');
    assert.equal(attempt(good.subarray(0, 14)), 'truncated');
    assert.equal(attempt(good.subarray(0, good.length - 10)), 'truncated');
    assert.equal(attempt(Buffer.concat([good, Buffer.from('x')])), 'truncated');
    // A flipped byte in an entry: the index loads, the entry fails its checksum when asked for and is dropped.
    const flipped = Buffer.from(good);
    flipped[flipped.length - 5] ^= 0xff;
    assert.equal(attempt(flipped), 'ok');
    // A flipped byte in the index.
    const headerEnd = 12 + good.readUInt32LE(8);
    const badIndex = Buffer.from(good);
    badIndex[headerEnd + 3] ^= 0x01;
    assert.equal(attempt(badIndex), 'checksum mismatch');
    const badHeader = Buffer.from(good);
    badHeader[14] = 0x7b; // '{' inside the JSON header
    assert.match(attempt(badHeader), /^damaged|another cache format/);

    // A well-formed file whose entries are not facts: each is refused when asked for.
    const bogus = new DiskFactsCache(dir);
    bogus.set('k', { kinds: 'yaml' } as unknown as ReturnType<typeof extractFacts>);
    assert.ok(bogus.save().ok);
    const reread = new DiskFactsCache(dir);
    assert.deepEqual(reread.load(), { ok: true, entries: 1 });
    assert.equal(reread.get('k'), undefined);
    assert.equal(reread.size, 0);

    fs.writeFileSync(file, good);
    assert.deepEqual(new DiskFactsCache(dir).load(), { ok: true, entries: 1 });
  });

  it('ignores a cache written by another version or extractor version', () => {
    const dir = path.join(tmp, 'v');
    const a = new DiskFactsCache(dir, { version: 'rules-1' });
    const [k, f] = entry('a.yaml', DEPLOYMENT);
    a.set(k, f);
    assert.ok(a.save().ok);
    assert.deepEqual(new DiskFactsCache(dir, { version: 'rules-2' }).load(), { ok: false, reason: 'written by another version' });
    assert.deepEqual(new DiskFactsCache(dir).load(), { ok: false, reason: 'written by another version' });
    const file = path.join(dir, CACHE_FILE_NAME);
    const bytes = fs.readFileSync(file, 'latin1');
    const marker = `"extractorVersion":${EXTRACTOR_VERSION},`;
    assert.ok(bytes.includes(marker));
    fs.writeFileSync(file, Buffer.from(bytes.replace(marker, `"extractorVersion":${EXTRACTOR_VERSION + 1},`.slice(0, marker.length)), 'latin1'));
    assert.deepEqual(new DiskFactsCache(dir, { version: 'rules-1' }).load(), { ok: false, reason: 'written by another version' });
  });

  it('saves what was used since loading, most recent first, up to maxEntries', () => {
    const dir = path.join(tmp, 'p');
    const a = new DiskFactsCache(dir);
    for (let i = 0; i < 5; i++) analyseText(`f${i}.yaml`, `a: ${i}\n`, a);
    assert.ok(a.save().ok);

    const b = new DiskFactsCache(dir, { maxEntries: 2 });
    assert.deepEqual(b.load(), { ok: true, entries: 5 });
    assert.equal(analyseText('f1.yaml', 'a: 1\n', b).hit, true);
    assert.equal(analyseText('f3.yaml', 'a: 3\n', b).hit, true);
    assert.equal(analyseText('f9.yaml', 'a: 9\n', b).hit, false);
    assert.deepEqual(b.save(), { ok: true, entries: 2, bytes: fs.statSync(path.join(dir, CACHE_FILE_NAME)).size });
    const c = new DiskFactsCache(dir);
    assert.deepEqual(c.load(), { ok: true, entries: 2 });
    assert.equal(analyseText('f3.yaml', 'a: 3\n', c).hit, true);
    assert.equal(analyseText('f9.yaml', 'a: 9\n', c).hit, true);
    assert.equal(analyseText('f1.yaml', 'a: 1\n', c).hit, false, 'the least recently used entry went');

    const d = new DiskFactsCache(dir);
    d.load();
    assert.deepEqual(d.save({ keepUnused: true }).ok && new DiskFactsCache(dir).load(), { ok: true, entries: 2 });
    const e = new DiskFactsCache(dir);
    e.load();
    assert.deepEqual(e.save().ok && new DiskFactsCache(dir).load(), { ok: true, entries: 0 });
  });

  it('skips the write when nothing was stored or dropped since loading', () => {
    const dir = path.join(tmp, 'u');
    const file = path.join(dir, CACHE_FILE_NAME);
    const a = new DiskFactsCache(dir);
    for (let i = 0; i < 3; i++) analyseText(`f${i}.yaml`, `a: ${i}\n`, a);
    const first = a.save();
    assert.ok(first.ok && first.unchanged === undefined);
    const mtime = (): number => fs.statSync(file).mtimeMs;
    fs.utimesSync(file, 1, 1);

    const b = new DiskFactsCache(dir);
    b.load();
    for (let i = 0; i < 3; i++) assert.equal(analyseText(`f${i}.yaml`, `a: ${i}\n`, b).hit, true);
    assert.deepEqual(b.save(), { ok: true, entries: 3, bytes: fs.statSync(file).size, unchanged: true });
    assert.equal(mtime(), 1000, 'not rewritten');

    // One entry unused: it is dropped, so the file is rewritten.
    const c = new DiskFactsCache(dir);
    c.load();
    for (let i = 0; i < 2; i++) analyseText(`f${i}.yaml`, `a: ${i}\n`, c);
    const dropped = c.save();
    assert.ok(dropped.ok && dropped.unchanged === undefined && dropped.entries === 2);
    assert.notEqual(mtime(), 1000);
    assert.equal(c.save().ok && (c.save() as { unchanged?: true }).unchanged, true, 'a second save after a write has nothing new');

    // A new entry: rewritten.
    fs.utimesSync(file, 1, 1);
    const d = new DiskFactsCache(dir);
    d.load();
    for (let i = 0; i < 2; i++) analyseText(`f${i}.yaml`, `a: ${i}\n`, d);
    analyseText('g.yaml', 'b: 1\n', d);
    const grown = d.save();
    assert.ok(grown.ok && grown.unchanged === undefined && grown.entries === 3);
    assert.notEqual(mtime(), 1000);
  });

  it('reports a failed save instead of throwing, and leaves no temporary file', () => {
    const blocker = path.join(tmp, 'a-file');
    fs.writeFileSync(blocker, 'x');
    const a = new DiskFactsCache(path.join(blocker, 'cache'));
    a.set(...entry('a.yaml', DEPLOYMENT));
    const r = a.save();
    assert.equal(r.ok, false);
    const dir = path.join(tmp, 'ok');
    const b = new DiskFactsCache(dir);
    b.set(...entry('a.yaml', DEPLOYMENT));
    fs.mkdirSync(path.join(dir, CACHE_FILE_NAME), { recursive: true }); // rename onto a directory fails
    assert.equal(b.save().ok, false);
    assert.deepEqual(
      fs.readdirSync(dir).filter((n) => n.endsWith('.tmp')),
      [],
    );
  });
});
