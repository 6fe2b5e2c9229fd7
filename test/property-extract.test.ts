// Property tests over every per-file entry point: built and mutated inputs of every kind
// never make extraction throw, every span stays inside the text, facts are plain JSON data,
// and extraction is deterministic. Bounded runs with a fixed seed (printed on failure).
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { preparePython, pythonPrepareError } from '../server/src/engine/parse/routes-py';
import { extractFacts, MAX_ERROR_MESSAGE } from '../server/src/engine/extract';
import { arbAnyFile, arbGeneratedFile, arbMutatedFixture, checkExtraction, fixtureCorpus, jsonProblems, spanProblems } from './fuzz-inputs';

const SEED = 20261122;

describe('property: extraction never throws and keeps its spans in the text', function () {
  this.timeout(120_000);
  before(async () => {
    await preparePython();
    assert.equal(pythonPrepareError(), undefined, 'tree-sitter loads');
  });

  it('the fixture corpus is large and named by workspace path', () => {
    const corpus = fixtureCorpus();
    assert.ok(corpus.length > 300, `corpus of ${corpus.length}`);
    for (const name of ['Dockerfile', 'package.json', 'docker-compose.yml', 'requirements.txt']) assert.ok(corpus.some((f) => f.path.endsWith(name)), name);
  });

  it('every unmutated fixture', () => {
    for (const f of fixtureCorpus()) checkExtraction(f);
  });

  it('inputs built from fragments of every kind', () => {
    fc.assert(fc.property(arbGeneratedFile, checkExtraction), { seed: SEED, numRuns: 300 });
  });

  it('mutated fixtures (lines deleted, duplicated, swapped; bytes inserted; truncated; nested; huge lines; CRLF)', () => {
    fc.assert(fc.property(arbMutatedFixture, checkExtraction), { seed: SEED, numRuns: 250 });
  });

  it('any input, under any meaningful name', () => {
    fc.assert(fc.property(arbAnyFile, checkExtraction), { seed: SEED + 1, numRuns: 150 });
  });
});

// Cases the fuzz runs found, and the detectors the properties rely on.
describe('extraction regressions found by fuzzing', () => {
  it('tagged YAML values become JSON data (binary, timestamp, set, ordered map, .nan, .inf)', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: tagged }\ndata:\n  b: !!binary |\n    AAAA\n  t: !!timestamp 2001-12-14\n  s: !!set { x, y }\n  o: !!omap [ a: 1 ]\n  n: .nan\n  i: -.inf\n';
    for (const name of ['deploy/tagged.yaml', 'chart/values.yaml']) checkExtraction({ path: name, text });
    const facts = extractFacts('deploy/tagged.yaml', text);
    assert.deepEqual((facts.yaml!.docs[0]!.value as { data: unknown }).data, { b: 'AAAA', t: '2001-12-14T00:00:00.000Z', s: ['x', 'y'], o: { a: 1 }, n: '.nan', i: '-.inf' });
  });

  it('the span and JSON detectors catch what they look for', () => {
    const facts = { kinds: [], directives: [], errors: [{ message: 'x', offset: 12 }], lineStarts: [0, 5], yaml: { docs: [{ index: 0, value: { start: 99, end: 1 }, spans: { '': { v: [0, 11] as [number, number] } }, span: [3, 2] as [number, number] }] } };
    assert.deepEqual(spanProblems(facts, 10).sort(), ['errors[0].offset: [12, 12) of 10', 'yaml.docs[0].span: [3, 2) of 10', "yaml.docs[0].spans..v: [0, 11) of 10"].sort());
    assert.deepEqual(jsonProblems({ a: new Set([1]), b: [undefined], c: NaN, d: () => 1 }), ['facts.a: instance of Set', 'facts.b[0]: undefined', 'facts.c: NaN', 'facts.d: function']);
  });
});

describe('error messages stay short', () => {
  it('a parser quoting a huge line is cut to MAX_ERROR_MESSAGE', () => {
    const huge = 'x'.repeat(5000);
    for (const [name, text] of [['worker/Dockerfile', `${huge}\nFROM node:20\n`], ['docker-compose.override.yml', `# dev\n       services:\n  replica:\n${huge}\n`]] as const) {
      const facts = extractFacts(name, text);
      assert.ok(facts.errors.length > 0, `${name} has a parse error`);
      for (const e of facts.errors) assert.ok(e.message.length <= MAX_ERROR_MESSAGE, `${name}: ${e.message.length} chars`);
    }
  });
});
