// Bad input through the whole engine: every hostile or odd file gives a clear error entry
// or is skipped with a reason, the scan finishes, and the good files beside them are
// still analysed. Rule bodies change independently, so nothing here asserts findings.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { allRules } from '../rules/index';
import { MemoryFactsCache, type FactsCache } from '../server/src/engine/extract';
import { scan, type ScanOutcome } from '../server/src/engine/index';
import { MAX_DEPTH, MAX_ERRORS, parseYamlDocuments, YamlLimitError, yamlFacts } from '../server/src/engine/parse/yaml';
import type { FileFacts } from '../server/src/engine/types';

const GOOD_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 2
  selector:
    matchLabels: { app: api }
  template:
    metadata:
      labels: { app: api }
    spec:
      containers:
        - name: api
          image: registry.example.com/api:1.4.2
`;

/** The classic "billion laughs": nine levels of nine aliases, under 400 bytes. */
function billionLaughs(): string {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: { name: lol }', 'data:', '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) {
    const prev = String.fromCharCode(96 + i);
    const cur = String.fromCharCode(97 + i);
    lines.push(`  ${cur}: &${cur} [${Array(9).fill('*' + prev).join(',')}]`);
  }
  return lines.join('\n') + '\n';
}

function configMap(name: string, data: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n${data}`;
}

/** Deletes a file the first time the engine consults the cache, i.e. after discovery and before that file is read. */
class VanishingCache implements FactsCache {
  private readonly inner = new MemoryFactsCache();
  deleted = false;
  constructor(private readonly victim: string) {}
  get(key: string): FileFacts | undefined {
    if (!this.deleted) {
      fs.rmSync(this.victim);
      this.deleted = true;
    }
    return this.inner.get(key);
  }
  set(key: string, facts: FileFacts): void {
    this.inner.set(key, facts);
  }
}

describe('bad input', () => {
  let root: string;
  let outcome: ScanOutcome;
  let cache: VanishingCache;
  const files: Record<string, string | Uint8Array> = {};

  const errorsOf = (file: string): { line?: number; message: string }[] => outcome.errors.filter((e) => e.file === file);
  const skipReason = (file: string): string | undefined => outcome.skipped.find((s) => s.file === file)?.reason;
  const analysed = (file: string): FileFacts | undefined => outcome.files.find((f) => f.path === file)?.facts;

  before(async function () {
    this.timeout(120_000);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'readiness-badinput-'));
    Object.assign(files, {
      '.readiness.yaml': 'maxFileSize: 16777216\n',
      'deploy/good.yaml': GOOD_DEPLOYMENT,
      'deploy/broken.yaml': configMap('broken', '  a: 1\n  b: [unclosed\n  c: 2\n'),
      'deploy/bomb.yaml': billionLaughs(),
      'deploy/recursive.yaml': configMap('rec', '  a: &a [1, *a]\n'),
      'deploy/duplicate-keys.yaml': configMap('dup', '  a: "1"\n  a: "2"\n'),
      'deploy/deep.yaml': configMap('deep', '  x: ' + '['.repeat(10_000) + '\n'),
      'deploy/deep-block.yaml': configMap('deep', Array.from({ length: 2000 }, (_, i) => ' '.repeat(i + 2) + 'k:').join('\n') + '\n'),
      'deploy/binary.yaml': Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.alloc(4096, 0xab)]),
      'deploy/latin1.yaml': Buffer.from(configMap('latin', '  greeting: "ol\xe1, \xe7a va, gr\xfc\xdfe"\n'), 'latin1'),
      'deploy/utf16.yaml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(GOOD_DEPLOYMENT.replace('name: api', 'name: api16'), 'utf16le')]),
      'deploy/crlf.yaml': GOOD_DEPLOYMENT.replace('name: api', 'name: api-crlf').replace(/\n/g, '\r\n'),
      'deploy/long-line.yaml': configMap('long', `  blob: "${'aB3/+'.repeat(1_000_000)}"\n`),
      'deploy/blank-lines.yaml': '\n'.repeat(200_000) + configMap('blank', '  a: "1"\n'),
      'deploy/many-keys.yaml': configMap('keys', Array.from({ length: 60_000 }, (_, i) => `  k${i}: "v"`).join('\n') + '\n'),
      'deploy/many-errors.yaml': configMap('errs', '') + Array.from({ length: 300 }, (_, i) => `k${i}: "unterminated\n---\n`).join(''),
      'deploy/empty.yaml': '',
      'src/empty.ts': '',
      'zz-vanishing.yaml': configMap('gone', '  a: "1"\n'),
    });
    for (const [rel, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), content);
    }
    // 50 MB, made at test time (sparse where the file system allows), never committed.
    fs.mkdirSync(path.join(root, 'data'));
    const fd = fs.openSync(path.join(root, 'data', 'huge.yaml'), 'w');
    fs.ftruncateSync(fd, 50 * 1024 * 1024);
    fs.closeSync(fd);
    fs.symlinkSync('..', path.join(root, 'deploy', 'loop'));
    cache = new VanishingCache(path.join(root, 'zz-vanishing.yaml'));
    outcome = await scan({ roots: [root], rules: [...allRules], cache });
  });

  after(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('finishes and still analyses the good Deployment', () => {
    const good = analysed('deploy/good.yaml');
    assert.ok(good, 'deploy/good.yaml was analysed');
    assert.ok(good.kinds.includes('k8s'));
    assert.equal(good.yaml?.docs.length, 1);
    assert.deepEqual(errorsOf('deploy/good.yaml'), []);
  });

  it('accounts for every file: analysed, or skipped with a reason', () => {
    for (const rel of [...Object.keys(files), 'data/huge.yaml']) {
      const inFiles = outcome.files.some((f) => f.path === rel);
      const reason = skipReason(rel);
      assert.ok(inFiles !== (reason !== undefined), `${rel}: analysed ${inFiles}, skipped ${reason}`);
    }
    assert.equal(outcome.stats.skipped, outcome.skipped.length);
    assert.equal(outcome.stats.files, outcome.files.length);
  });

  it('broken YAML gives an error entry with its line', () => {
    const errs = errorsOf('deploy/broken.yaml');
    assert.ok(errs.length > 0);
    assert.ok(errs.every((e) => e.message.startsWith('YAML: ')));
    assert.ok(errs.some((e) => e.line !== undefined && e.line >= 6), JSON.stringify(errs));
  });

  it('an alias bomb gives an error entry and no document', () => {
    assert.deepEqual(
      errorsOf('deploy/bomb.yaml').map((e) => e.message),
      [errorsOf('deploy/bomb.yaml')[0]!.message],
    );
    assert.match(errorsOf('deploy/bomb.yaml')[0]!.message, /alias/);
    assert.deepEqual(analysed('deploy/bomb.yaml')?.yaml?.docs, []);
  });

  it('a recursive alias and duplicate keys give error entries with lines', () => {
    assert.match(errorsOf('deploy/recursive.yaml')[0]!.message, /recursive alias \*a/);
    assert.equal(errorsOf('deploy/recursive.yaml')[0]!.line, 6);
    assert.match(errorsOf('deploy/duplicate-keys.yaml')[0]!.message, /unique/);
    assert.equal(errorsOf('deploy/duplicate-keys.yaml')[0]!.line, 7);
  });

  it('10,000 levels of [ and 2,000 levels of block nesting give an error, not a stack overflow', () => {
    for (const file of ['deploy/deep.yaml', 'deploy/deep-block.yaml']) {
      const errs = errorsOf(file);
      assert.equal(errs.length, 1, file);
      assert.match(errs[0]!.message, new RegExp(`nesting deeper than ${MAX_DEPTH} levels`));
      assert.ok(errs[0]!.line !== undefined && errs[0]!.line >= 6);
    }
  });

  it('a binary file named .yaml is skipped with a reason', () => {
    assert.match(skipReason('deploy/binary.yaml') ?? '', /binary/);
  });

  it('a 50 MB file is skipped as too large, with its size', () => {
    assert.match(skipReason('data/huge.yaml') ?? '', /maxFileSize.*52428800 bytes/);
  });

  it('a symlink loop is skipped with a reason', () => {
    assert.match(skipReason('deploy/loop') ?? '', /symlink loop/);
  });

  it('Latin-1, UTF-16 with a BOM and CRLF files are analysed', () => {
    for (const file of ['deploy/latin1.yaml', 'deploy/utf16.yaml', 'deploy/crlf.yaml']) {
      const facts = analysed(file);
      assert.ok(facts?.kinds.includes('k8s'), file);
      assert.deepEqual(errorsOf(file), [], file);
    }
    const latin = analysed('deploy/latin1.yaml')!.yaml!.docs[0]!.value as { data: { greeting: string } };
    assert.equal(latin.data.greeting, 'olá, ça va, grüße');
    const u16 = analysed('deploy/utf16.yaml')!.yaml!.docs[0]!.value as { metadata: { name: string } };
    assert.equal(u16.metadata.name, 'api16');
  });

  it('a 5 MB line, 200,000 blank lines and 60,000 keys under a raised maxFileSize are analysed', () => {
    for (const file of ['deploy/long-line.yaml', 'deploy/blank-lines.yaml', 'deploy/many-keys.yaml']) {
      assert.ok(analysed(file)?.kinds.includes('k8s'), file);
      assert.deepEqual(errorsOf(file), [], file);
    }
    assert.ok(fs.statSync(path.join(root, 'deploy/long-line.yaml')).size > 5_000_000);
  });

  it('parse errors are capped per file', () => {
    const errs = errorsOf('deploy/many-errors.yaml');
    assert.equal(errs.length, MAX_ERRORS + 1);
    assert.match(errs.find((e) => /more errors? not shown/.test(e.message))!.message, /^YAML: \d+ more errors not shown$/);
  });

  it('empty files are analysed without errors', () => {
    for (const file of ['deploy/empty.yaml', 'src/empty.ts']) {
      assert.ok(analysed(file), file);
      assert.deepEqual(errorsOf(file), [], file);
    }
  });

  it('a file deleted between discovery and reading is skipped as unreadable: ENOENT', () => {
    assert.ok(cache.deleted, 'the test deleted the file during the scan');
    assert.equal(skipReason('zz-vanishing.yaml'), 'unreadable: ENOENT');
  });
});

describe('bad input: YAML limits', () => {
  it('refuses deep nesting before composing, also through parseYamlDocuments (fix writers)', () => {
    assert.throws(() => parseYamlDocuments('x: ' + '{a: '.repeat(5000)), (e: unknown) => e instanceof YamlLimitError && e.offset > 0);
    // Twice in a row: a stack overflow inside the parser is not always recoverable a second time.
    for (let i = 0; i < 3; i++) assert.match(yamlFacts('['.repeat(3000) + ']'.repeat(3000)).errors[0]!.message, /nesting deeper/);
    const ok = yamlFacts('['.repeat(MAX_DEPTH) + ']'.repeat(MAX_DEPTH));
    assert.deepEqual(ok.errors, []);
    assert.equal(ok.facts.docs.length, 1);
  });

  it('bounds alias expansion by size, whatever the number of uses', () => {
    // One flat anchor of 5,000 keys used 100 times: few aliases, a 500,000-node expansion.
    const keys = Array.from({ length: 5000 }, (_, i) => `  k${i}: v`).join('\n');
    const flat = yamlFacts(`base: &b\n${keys}\nrefs:\n${Array(100).fill('  - *b').join('\n')}\n`);
    assert.match(flat.errors[0]!.message, /aliases expand/);
    // Ordinary use of anchors (a compose file's shared logging block) is fine.
    const compose = `x-log: &log {driver: json-file, options: {max-size: 10m}}\nservices:\n${Array.from({ length: 300 }, (_, i) => `  s${i}:\n    image: a\n    logging: *log`).join('\n')}\n`;
    const ok = yamlFacts(compose);
    assert.deepEqual(ok.errors, []);
    const services = (ok.facts.docs[0]!.value as { services: Record<string, { logging: { driver: string } }> }).services;
    assert.equal(Object.keys(services).length, 300);
    assert.equal(services.s299!.logging.driver, 'json-file');
  });

  it('caps the number of aliases in a document', () => {
    const r = yamlFacts(`x: &x 1\nlist: [${Array(20_000).fill('*x').join(',')}]\n`);
    assert.match(r.errors[0]!.message, /more than 10000 aliases/);
  });

  it('keeps merge keys working', () => {
    const r = yamlFacts('base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  z: 3\n');
    assert.deepEqual(r.errors, []);
    assert.deepEqual((r.facts.docs[0]!.value as { c: unknown }).c, { x: 1, y: 2, z: 3 });
  });
});
