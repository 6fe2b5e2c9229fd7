// insertEntriesFirst: entries land on the line after the map's key, at the map's
// indentation, leaving comments and the rest of the text untouched.
import * as assert from 'node:assert/strict';
import { parseYamlDocuments } from '../server/src/engine/parse/yaml';
import { applyEdits } from '../server/src/engine/text';
import { insertEntriesFirst, setBlockValue } from '../rules/lib/k8s-links-edit';
import type { Path } from '../rules/lib/yaml-edit';

function insertFirst(text: string, path: Path, entries: Record<string, unknown>, docIndex = 0): string {
  const doc = parseYamlDocuments(text)[docIndex]!;
  return applyEdits(text, [insertEntriesFirst(text, 'f.yaml', doc, path, entries)]);
}

describe('yaml-edit: insertEntriesFirst', () => {
  it('inserts before the first entry, after the key line, keeping the comment above that entry', () => {
    const text = 'kind: Deployment\nspec: # the spec\n  # pick the pods\n  selector:\n    app: api\n  template: {}\n';
    assert.equal(insertFirst(text, ['spec'], { replicas: 2 }), 'kind: Deployment\nspec: # the spec\n  replicas: 2\n  # pick the pods\n  selector:\n    app: api\n  template: {}\n');
  });

  it('uses the map\'s own indentation (4 spaces, inside a List item)', () => {
    const text = 'items:\n  - kind: Ingress\n    spec:\n        rules:\n          - host: a.example.test\n';
    const out = insertFirst(text, ['items', 0, 'spec'], { tls: [{ hosts: ['a.example.test'], secretName: 'a-tls' }] });
    assert.equal(out, 'items:\n  - kind: Ingress\n    spec:\n        tls:\n          - hosts:\n              - a.example.test\n            secretName: a-tls\n        rules:\n          - host: a.example.test\n');
  });

  it('keeps CRLF line endings', () => {
    const text = 'spec:\r\n  selector: {}\r\n';
    assert.equal(insertFirst(text, ['spec'], { replicas: 2 }), 'spec:\r\n  replicas: 2\r\n  selector: {}\r\n');
  });

  it('works in a later document of a multi-document file', () => {
    const text = 'a: 1\n---\nspec:\n  b: 2\n';
    assert.equal(insertFirst(text, ['spec'], { replicas: 2 }, 1), 'a: 1\n---\nspec:\n  replicas: 2\n  b: 2\n');
  });

  it('falls back to insertEntries for a missing, empty or flow map', () => {
    assert.equal(insertFirst('metadata:\n  name: a\n', ['spec'], { replicas: 2 }), 'metadata:\n  name: a\nspec:\n  replicas: 2\n');
    assert.equal(insertFirst('spec: {}\n', ['spec'], { replicas: 2 }), 'spec:\n  replicas: 2\n');
    assert.equal(insertFirst('spec: {a: 1}\n', ['spec'], { replicas: 2 }), 'spec:\n  a: 1\n  replicas: 2\n');
  });
});

describe('yaml-edit: setBlockValue', () => {
  const set = (text: string, mapPath: Path, key: string, value: unknown): string => {
    const doc = parseYamlDocuments(text)[0]!;
    return applyEdits(text, setBlockValue(text, 'f.yaml', doc, mapPath, key, value));
  };

  it('turns an empty flow value into a block below the key, keeping the comment on the key line', () => {
    const text = 'spec:\n  tls: [] # certificates to follow\n  rules: []\n';
    assert.equal(set(text, ['spec'], 'tls', [{ secretName: 'a-tls' }]), 'spec:\n  tls: # certificates to follow\n    - secretName: a-tls\n  rules: []\n');
  });

  it('fills an empty value, with CRLF and at the end of a file without a final newline', () => {
    assert.equal(set('spec:\r\n  tls:\r\n  rules: []\r\n', ['spec'], 'tls', ['x']), 'spec:\r\n  tls:\r\n    - x\r\n  rules: []\r\n');
    assert.equal(set('spec:\n  tls: ~', ['spec'], 'tls', ['x']), 'spec:\n  tls:\n    - x');
  });

  it('throws when the entry does not exist', () => {
    const text = 'spec:\n  rules: []\n';
    assert.throws(() => setBlockValue(text, 'f.yaml', parseYamlDocuments(text)[0]!, ['spec'], 'tls', []));
  });
});
