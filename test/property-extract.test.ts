// Property tests over every per-file entry point: built and mutated inputs of every kind
// never make extraction throw, every span stays inside the text, facts are plain JSON data,
// and extraction is deterministic. Bounded runs with a fixed seed (printed on failure).
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyseText, extractFacts, MemoryFactsCache } from '../server/src/engine/extract';
import { preparePython, pythonPrepareError } from '../server/src/engine/parse/routes-py';
import { arbAnyFile, arbGeneratedFile, arbMutatedFixture, fixtureCorpus, jsonProblems, spanProblems, type FuzzFile } from './fuzz-inputs';

export const SEED = 20261122;

/** Checks one input; throws an assertion error naming the broken property. */
export function checkExtraction(file: FuzzFile): void {
  let facts;
  try {
    facts = extractFacts(file.path, file.text);
  } catch (e) {
    assert.fail(`extractFacts threw on ${file.path}: ${(e as Error).stack ?? String(e)}`);
  }
  assert.deepEqual(spanProblems(facts, file.text.length), [], `spans of ${file.path}`);
  assert.deepEqual(jsonProblems(facts), [], `facts of ${file.path} are JSON data`);
  assert.deepEqual(JSON.parse(JSON.stringify(facts)), JSON.parse(JSON.stringify(extractFacts(file.path, file.text))), `extraction of ${file.path} is deterministic`);
  const cache = new MemoryFactsCache();
  const first = analyseText(file.path, file.text, cache);
  const again = analyseText(file.path, file.text, cache);
  assert.deepEqual(again.facts, first.facts, 'a cache hit gives the same facts');
}

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
