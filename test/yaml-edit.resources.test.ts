// ensureEntries (rules/lib/resources.ts): inserts only what is missing, keeps comments
// and indentation, and is idempotent.
import * as assert from 'node:assert/strict';
import { parseAllDocuments, type Document } from 'yaml';
import { ensureEntries, isBlockMapAt, missingResources, placeholders } from '../rules/lib/resources';
import { documentAt } from '../rules/lib/k8s';
import { yamlFacts } from '../server/src/engine/parse/yaml';
import { applyEdits } from '../server/src/engine/text';
import type { Path } from '../rules/lib/yaml-edit';

const LIMITS = { resources: { limits: { cpu: '500m', memory: '256Mi' } } };

function firstDoc(text: string): Document.Parsed {
  return parseAllDocuments(text)[0] as Document.Parsed;
}

/** Applies ensureEntries, checks the result parses and that a second run changes nothing. */
function ensure(text: string, entries: Record<string, unknown>, path: Path = []): string {
  const out = applyEdits(text, ensureEntries(text, 'f.yaml', firstDoc(text), path, entries));
  const doc = firstDoc(out);
  assert.deepEqual(doc.errors, [], `the result parses:\n${out}`);
  assert.deepEqual(ensureEntries(out, 'f.yaml', doc, path, entries), [], `a second run changes nothing:\n${out}`);
  return out;
}

describe('ensureEntries', () => {
  it('creates a missing map and its parents at the end of the map', () => {
    const text = 'containers:\n  - name: web # main\n    image: x\n    # about the next one\n  - name: b\n';
    assert.equal(
      ensure(text, LIMITS, ['containers', 0]),
      'containers:\n  - name: web # main\n    image: x\n    resources:\n      limits:\n        cpu: 500m\n        memory: 256Mi\n    # about the next one\n  - name: b\n',
    );
  });

  it('fills `{}` and keeps the comment on the key line', () => {
    assert.equal(ensure('name: web\nresources: {}   # later\nimage: x\n', LIMITS), 'name: web\nresources:   # later\n  limits:\n    cpu: 500m\n    memory: 256Mi\nimage: x\n');
    assert.equal(ensure('name: web\nresources: {}\n', LIMITS), 'name: web\nresources:\n  limits:\n    cpu: 500m\n    memory: 256Mi\n');
  });

  it('fills an empty value, with or without a comment, and at the end of a file without a final newline', () => {
    assert.equal(ensure('name: web\nresources:\nimage: x\n', LIMITS), 'name: web\nresources:\n  limits:\n    cpu: 500m\n    memory: 256Mi\nimage: x\n');
    assert.equal(ensure('name: web\nresources: # note\nimage: x\n', LIMITS), 'name: web\nresources: # note\n  limits:\n    cpu: 500m\n    memory: 256Mi\nimage: x\n');
    assert.equal(ensure('name: web\nresources: ~', LIMITS), 'name: web\nresources:\n  limits:\n    cpu: 500m\n    memory: 256Mi\n');
  });

  it('adds limits beside existing requests, and only the missing limit', () => {
    assert.equal(
      ensure('resources:\n  requests:\n    cpu: 1\n', LIMITS),
      'resources:\n  requests:\n    cpu: 1\n  limits:\n    cpu: 500m\n    memory: 256Mi\n',
    );
    assert.equal(
      ensure('resources:\n  limits:\n    memory: 1Gi # peak 800Mi\n  requests:\n    memory: 1Gi\n', LIMITS),
      'resources:\n  limits:\n    memory: 1Gi # peak 800Mi\n    cpu: 500m\n  requests:\n    memory: 1Gi\n',
    );
  });

  it('gives empty scalars their value on their own line, before a comment', () => {
    assert.equal(ensure('limits:\n  cpu: # c\n  memory: ""\n', { limits: { cpu: '500m', memory: '256Mi' } }), 'limits:\n  cpu: 500m # c\n  memory: 256Mi\n');
  });

  it('never changes a value that is set', () => {
    const text = 'resources:\n  limits:\n    cpu: 2\n    memory: 1Gi\n';
    assert.deepEqual(ensureEntries(text, 'f.yaml', firstDoc(text), [], LIMITS), []);
  });

  it('rewrites a flow map on the way as a block, keeping its entries', () => {
    assert.equal(
      ensure('name: web\nresources: {requests: {cpu: 1}}  # flow\n', LIMITS),
      'name: web\nresources:  # flow\n  requests:\n    cpu: 1\n  limits:\n    cpu: 500m\n    memory: 256Mi\n',
    );
    assert.equal(ensure('resources:\n  limits: {memory: 1Gi}\n', LIMITS), 'resources:\n  limits:\n    memory: 1Gi\n    cpu: 500m\n');
  });

  it('fills an empty entry and appends a missing one at the same place in one edit', () => {
    const probes = { readinessProbe: { tcpSocket: { port: 80 } }, livenessProbe: { tcpSocket: { port: 80 } } };
    assert.equal(
      ensure('name: web\nreadinessProbe:', probes),
      'name: web\nreadinessProbe:\n  tcpSocket:\n    port: 80\nlivenessProbe:\n  tcpSocket:\n    port: 80\n',
    );
  });

  it('keeps CRLF line endings', () => {
    assert.equal(ensure('name: web\r\nresources:\r\n  requests:\r\n    cpu: 1\r\n', LIMITS), 'name: web\r\nresources:\r\n  requests:\r\n    cpu: 1\r\n  limits:\r\n    cpu: 500m\r\n    memory: 256Mi\r\n');
  });

  it('writes nothing into a flow-style container', () => {
    const text = 'containers:\n  - {name: web, image: x}\n';
    assert.deepEqual(ensureEntries(text, 'f.yaml', firstDoc(text), ['containers', 0], LIMITS), []);
  });
});

describe('resource helpers', () => {
  it('tells block maps from flow maps by their spans', () => {
    const { facts } = yamlFacts('containers:\n  - name: a\n    image: x\n  - {name: b, image: y}\n  - name: c\n');
    const doc = facts.docs[0]!;
    assert.equal(isBlockMapAt(doc, '/containers/0'), true);
    assert.equal(isBlockMapAt(doc, '/containers/1'), false);
    assert.equal(isBlockMapAt(doc, '/containers/2'), true);
  });

  it('finds the document of an offset even after comment-only documents', () => {
    const text = '# header only\n---\nkind: Pod\n---\nkind: Job\n';
    const docs = parseAllDocuments(text) as Document.Parsed[];
    assert.equal(documentAt({ text: () => text, yamlDocuments: () => docs }, 'f', text.indexOf('Pod'))?.get('kind'), 'Pod');
    assert.equal(documentAt({ text: () => text, yamlDocuments: () => docs }, 'f', text.indexOf('Job'))?.get('kind'), 'Job');
  });

  it('treats a limit as the request it implies, and copies requests into limit placeholders', () => {
    const container = { resources: { limits: { memory: '1Gi' }, requests: { cpu: '2', memory: '' } } };
    assert.deepEqual(missingResources(container, { section: 'limits', defaults: { cpu: '500m', memory: '256Mi' } }), ['cpu']);
    assert.deepEqual(missingResources(container, { section: 'requests', defaults: { cpu: '100m', memory: '128Mi' }, impliedBy: 'limits' }), []);
    assert.deepEqual(missingResources({}, { section: 'requests', defaults: { cpu: '100m', memory: '128Mi' } }), ['cpu', 'memory']);
    assert.deepEqual(placeholders(container, 'limits', ['cpu', 'memory'], { cpu: '500m', memory: '256Mi' }), { cpu: '2', memory: '256Mi' });
  });
});
