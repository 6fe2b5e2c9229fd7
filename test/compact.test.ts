// compactStrings: facts keep their values exactly; only where their strings live changes.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { compactStrings } from '../server/src/engine/compact';
import { extractFacts } from '../server/src/engine/extract';
import { fixtureCorpus } from './fuzz-inputs';

describe('compactStrings', () => {
  it('changes no value, in place, whatever the JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const copy = structuredClone(value);
        const out = compactStrings(copy);
        assert.deepEqual(out, value);
        if (typeof copy === 'object' && copy !== null) assert.equal(out, copy, 'objects and arrays are compacted in place');
      }),
      { numRuns: 500, seed: 20261122 },
    );
  });

  it('changes no value of any fixture’s facts', () => {
    let files = 0;
    for (const f of fixtureCorpus()) {
      const facts = extractFacts(f.path, f.text);
      assert.deepEqual(compactStrings(structuredClone(facts)), facts, f.path);
      files++;
    }
    assert.ok(files > 200, `only ${files} fixtures`);
  });

  it('keeps long strings and strings cut from a long text equal to themselves', () => {
    const text = 'x'.repeat(10_000) + 'the-route-name' + 'y'.repeat(10_000);
    const cut = text.slice(10_000, 10_014);
    const long = text.slice(5, 5_000);
    const facts = { names: [cut, 'short', cut], nested: { long, list: [1, 2, 3], mixed: [1, cut] } };
    compactStrings(facts);
    assert.deepEqual(facts, { names: ['the-route-name', 'short', 'the-route-name'], nested: { long: 'x'.repeat(4_995), list: [1, 2, 3], mixed: [1, 'the-route-name'] } });
  });
});
