// The engine's YAML fix writers: inserted and replaced text keeps everything else intact.
import * as assert from 'node:assert/strict';
import { parseYamlDocuments } from '../server/src/engine/parse/yaml';
import { applyEdits } from '../server/src/engine/text';
import { insertEntries, replaceEntry, setScalar } from '../server/src/engine/yaml-edit';

function edit(text: string, f: (doc: ReturnType<typeof parseYamlDocuments>[number]) => { start: number; end: number; newText: string }): string {
  const doc = parseYamlDocuments(text)[0]!;
  return applyEdits(text, [f(doc)]);
}

describe('YAML edit writers', () => {
  it('inserts entries after the last item at the items’ indentation, keeping comments', () => {
    const text = 'spec:\n  # keep me\n  a: 1   # trailing\n  b:\n    c: 2\nnext: 3\n';
    assert.equal(edit(text, (d) => insertEntries(text, 'f', d, ['spec'], { x: { y: 'z' } })), 'spec:\n  # keep me\n  a: 1   # trailing\n  b:\n    c: 2\n  x:\n    y: z\nnext: 3\n');
  });

  it('creates missing parent maps', () => {
    const text = 'spec:\n  a: 1\n';
    assert.equal(edit(text, (d) => insertEntries(text, 'f', d, ['spec', 'sc', 'inner'], { k: true })), 'spec:\n  a: 1\n  sc:\n    inner:\n      k: true\n');
  });

  it('rewrites an empty flow map or a null value as a block', () => {
    const a = 'spec:\n  resources: {}\n  other: 1\n';
    assert.equal(edit(a, (d) => insertEntries(a, 'f', d, ['spec', 'resources'], { limits: { cpu: '1' } })), "spec:\n  resources:\n    limits:\n      cpu: \"1\"\n  other: 1\n");
    const b = 'spec:\n  resources:\n  other: 1\n';
    assert.equal(edit(b, (d) => insertEntries(b, 'f', d, ['spec', 'resources'], { limits: { cpu: '1' } })), "spec:\n  resources:\n    limits:\n      cpu: \"1\"\n  other: 1\n");
  });

  it('appends at the end of a file without a final newline', () => {
    const text = 'spec:\n  a: 1';
    assert.equal(edit(text, (d) => insertEntries(text, 'f', d, ['spec'], { b: 2 })), 'spec:\n  a: 1\n  b: 2\n');
  });

  it('keeps CRLF line endings', () => {
    const text = 'spec:\r\n  a: 1\r\n';
    assert.equal(edit(text, (d) => insertEntries(text, 'f', d, ['spec'], { b: { c: 2 } })), 'spec:\r\n  a: 1\r\n  b:\r\n    c: 2\r\n');
  });

  it('replaces an entry, including a block scalar, without swallowing the next line', () => {
    const text = 'env:\n  - name: A\n    value: |\n      secret\n  - name: B\n';
    assert.equal(
      edit(text, (d) => replaceEntry(text, 'f', d, ['env', 0], 'value', { valueFrom: { secretKeyRef: { name: 's', key: 'a' } } })),
      'env:\n  - name: A\n    valueFrom:\n      secretKeyRef:\n        name: s\n        key: a\n  - name: B\n',
    );
  });

  it('sets a scalar in place or inserts it', () => {
    const text = 'spec:\n  replicas: 1 # one\n';
    assert.equal(edit(text, (d) => setScalar(text, 'f', d, ['spec', 'replicas'], 2)), 'spec:\n  replicas: 2 # one\n');
    assert.equal(edit(text, (d) => setScalar(text, 'f', d, ['spec', 'paused'], false)), 'spec:\n  replicas: 1 # one\n  paused: false\n');
  });
});
