// Reparsing a YAML file document by document (yamlFactsReusing): after any edit the facts
// equal a whole parse of the new text, and unchanged documents are reused, not reparsed.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { YamlReuse, yamlFacts, yamlFactsReusing } from '../server/src/engine/parse/yaml';
import { fixtureCorpus } from './fuzz-inputs';

/** Documents (each starting with its `---` line, but for a first part) and lines that stress where parts start and end. */
const DOCS = [
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 2\n',
  'apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec:\n  ports: [{port: 80}]\n',
  'base: &b {cpu: 1}\nuse:\n  <<: *b\n  memory: 2\n',
  'script: |\n  echo one\n  --- not a marker: indented\n',
  'quoted: "spans\n---\nthe marker"\n',
  "single: 'open\n",
  'flow: [1,\n---\n2]\n',
  '# only a comment\n',
  '',
  'data: !!binary aGVsbG8=\nn: .nan\n',
  'dup: 1\ndup: 2\n',
  'key: value # trailing\n\n\n',
  'list:\n  - a\n  - b: [x, y]\n',
  'bad: [unclosed\n',
  'items:\r\n  - crlf\r\n',
];
const MARKERS = ['---\n', '--- # doc\n', '---\r\n', '--- \n', '---a\n', '...\n', '%YAML 1.2\n---\n', '--- text: inline\n'];

function streams(markers: string[], docs: string[]): fc.Arbitrary<string> {
  return fc
    .array(fc.tuple(fc.constantFrom(...markers), fc.constantFrom(...docs)), { minLength: 1, maxLength: 10 })
    .chain((parts) => fc.tuple(fc.constantFrom('', '# head\n', '\uFEFF', 'a: 0\n'), fc.constant(parts.map(([m, d]) => m + d).join(''))).map(([head, body]) => head + body));
}
const streamArb = streams(MARKERS, DOCS);
/** Streams that parse without errors, directives or end markers: split into parts every time. */
const cleanStreamArb = streams(
  MARKERS.filter((m) => !/^(?:\.\.\.|%|--- text)/.test(m)),
  DOCS.filter((d) => !/single|flow|bad|quoted|dup/.test(d)),
);

/** An edit at a random place: insert a line or text, delete a range, or duplicate a slice. */
const editArb = fc.record({
  op: fc.constantFrom('insert', 'delete', 'duplicate'),
  at: fc.nat(),
  len: fc.nat({ max: 40 }),
  text: fc.constantFrom('# edit\n', 'x', '---\n', '\n', 'k: v\n', '  nested: 1\n', '"', '&a ', '*a', '\r', '---\r\n', '--- ', '\t', '\u2028'),
});

function applyEdit(text: string, e: { op: string; at: number; len: number; text: string }): string {
  const at = text.length === 0 ? 0 : e.at % (text.length + 1);
  if (e.op === 'insert') return text.slice(0, at) + e.text + text.slice(at);
  if (e.op === 'delete') return text.slice(0, at) + text.slice(at + e.len);
  return text.slice(0, at) + text.slice(at, at + e.len) + text.slice(at);
}

/** From each start text and after each of its edits, the reused parse equals a whole parse. */
function assertEqualAfterEdits(starts: fc.Arbitrary<string>, seed: number): void {
  fc.assert(
    fc.property(starts, fc.array(editArb, { minLength: 1, maxLength: 8 }), (start, edits) => {
      const reuse = new YamlReuse();
      let text = start;
      assert.deepEqual(yamlFactsReusing(text, reuse, 'f.yaml'), yamlFacts(text));
      for (const e of edits) {
        text = applyEdit(text, e);
        assert.deepEqual(yamlFactsReusing(text, reuse, 'f.yaml'), yamlFacts(text), JSON.stringify(text));
      }
    }),
    { numRuns: 400, seed },
  );
}

describe('YAML facts reused document by document', () => {
  it('equal a whole parse of every YAML fixture, parsed fresh and parsed again', () => {
    const reuse = new YamlReuse();
    let files = 0;
    for (const f of fixtureCorpus()) {
      if (!/\.ya?ml$/.test(f.path)) continue;
      files++;
      assert.deepEqual(yamlFactsReusing(f.text, reuse, f.path), yamlFacts(f.text), f.path);
      assert.deepEqual(yamlFactsReusing(f.text, reuse, f.path), yamlFacts(f.text), `${f.path}, again`);
    }
    assert.ok(files > 50, `only ${files} YAML fixtures`);
  });

  it('equal a whole parse after every edit of random multi-document streams', () => {
    assertEqualAfterEdits(streamArb, 20261122);
  });

  it('equal a whole parse after every edit of streams that split into parts', () => {
    assertEqualAfterEdits(cleanStreamArb, 20261123);
  });

  it('reuses the documents an edit did not touch and parses the edited one', () => {
    const docs = Array.from({ length: 30 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  k: "${i}"\n`);
    const text = docs.join('---\n');
    const reuse = new YamlReuse();
    const first = yamlFactsReusing(text, reuse, 'cm.yaml').facts.docs;
    const edited = text.replace('name: c10\n', 'name: c10\n  labels: {a: b}\n');
    const second = yamlFactsReusing(`# moved\n${edited}`, reuse, 'cm.yaml').facts.docs;
    assert.equal(second.length, 30);
    for (let i = 0; i < 30; i++) {
      // The first document's text changed too: the comment went in front of it.
      if (i === 0 || i === 10) assert.notEqual(second[i]!.value, first[i]!.value, `document ${i} is parsed again`);
      else assert.equal(second[i]!.value, first[i]!.value, `document ${i} is reused`);
    }
    assert.deepEqual(second[11]!.spans['/metadata/name']!.v.map((o) => o - first[11]!.spans['/metadata/name']!.v[0]!), [
      '# moved\n'.length + '  labels: {a: b}\n'.length,
      '# moved\n'.length + '  labels: {a: b}\n'.length + 3,
    ]);
    // A fresh parse shares nothing: reuse is what made the values the same objects.
    assert.notEqual(yamlFactsReusing(text, new YamlReuse(), 'cm.yaml').facts.docs[0]!.value, first[0]!.value);
  });

  it('keeps the parts of the most recent files only', () => {
    const reuse = new YamlReuse(2);
    const text = 'a: 1\n---\nb: 2\n';
    const first = yamlFactsReusing(text, reuse, 'one.yaml').facts.docs[0]!.value;
    yamlFactsReusing(text, reuse, 'two.yaml');
    yamlFactsReusing(text, reuse, 'three.yaml');
    assert.notEqual(yamlFactsReusing(text, reuse, 'one.yaml').facts.docs[0]!.value, first, 'one.yaml was forgotten');
  });
});
