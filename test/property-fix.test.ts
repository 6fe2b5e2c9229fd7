// Property tests for every rule fix on random valid-but-incomplete manifests: Kubernetes
// workloads and Ingresses, compose services, in random YAML styles (indentation, flow
// collections, quotes, comments, anchors, several documents, CRLF). Fixed seed; fast-check
// prints it with the shrunk counterexample on failure.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { arbFixCase, checkFixes, FIX_RULES, renderYaml } from './fuzz-fixes';

const SEED = 20261122;

describe('property: fixes keep YAML valid, remove their finding and are idempotent', function () {
  this.timeout(180_000);

  it('covers the fixing rules of every YAML family', () => {
    const ids = FIX_RULES.map((r) => r.meta.id);
    for (const id of ['k8s/probes', 'k8s/resource-limits', 'k8s/replicas', 'k8s/ingress-tls', 'k8s/secret-in-env', 'compose/restart-policy', 'compose/healthcheck', 'compose/secret-in-env']) {
      assert.ok(ids.includes(id), id);
    }
  });

  it('the style renderer gives valid YAML with the same data', () => {
    const data = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } } } } };
    const style = { indent: 3, indentSeq: false, stringType: 'QUOTE_SINGLE' as const, keyType: 'QUOTE_DOUBLE' as const, flow: [false, true], comments: [1, 2, 0], anchors: true, docComment: true, crlf: true };
    const text = renderYaml([data, data], style);
    assert.match(text, /&labels/);
    assert.match(text, /\r\n/);
    const docs = parseAllDocuments(text);
    assert.equal(docs.length, 2);
    for (const d of docs) assert.deepEqual(d.toJS(), data);
  });

  it('random manifests and compose files', async () => {
    const seen = { applied: 0, single: 0, rules: new Set<string>() };
    await fc.assert(
      fc.asyncProperty(arbFixCase, async (c) => {
        const n = await checkFixes(c);
        seen.applied += n.applied;
        seen.single += n.single;
        n.rules.forEach((r) => seen.rules.add(r));
      }),
      { seed: SEED, numRuns: 80 },
    );
    // The generated workspaces do need fixing: the properties were checked on real fixes.
    assert.ok(seen.applied > 150 && seen.single > 150, `fixes applied: ${seen.applied} in rounds, ${seen.single} alone`);
    const missed = FIX_RULES.map((r) => r.meta.id).filter((id) => !seen.rules.has(id));
    assert.deepEqual(missed, [], `every fixing rule had its fix applied (seen: ${[...seen.rules].sort().join(', ')})`);
  });
});

// Cases the property runs found, kept as they were shrunk.
describe('fix regressions found by the property runs', function () {
  this.timeout(60_000);
  const cases: Record<string, string> = {
    // A service's `deploy` was an alias of another's: the limits fix was offered but wrote nothing.
    'compose limits through an aliased deploy': 'services:\r\n ledger-api:\r\n  image: nginx:1.27\r\n  deploy: &a1\r\n   resources:\r\n    limits:\r\n     memory: 512m\r\n web:\r\n  image: nginx:1.27\r\n  deploy: *a1\r\n',
    // The volume fix could not append to an aliased `volumes` list.
    'compose volume through an aliased volumes list': 'services:\r\n web:\r\n  image: nginx:1.27\r\n  volumes: &a1\r\n   - ./src:/app/src\r\n db:\r\n  image: postgres:16\r\n  volumes: *a1\r\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    it(name, async () => {
      await checkFixes({ files: { 'docker-compose.yml': text } });
    });
  }

  it('probes for a container whose ports are an alias (the named port is found through it)', async () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n name: web\nspec:\n containers:\n  - name: web\n    image: nginx:1.27\n    ports: &a1\n     - containerPort: 8080\n       name: http\n  - name: api\n    image: nginx:1.27\n    ports: *a1\n';
    const n = await checkFixes({ files: { 'deploy/app.yaml': text } });
    assert.ok(n.applied >= 2, 'both containers get their probes');
  });

  it('an Ingress written in flow style is not offered a block insertion', async () => {
    const text = '{\n apiVersion: networking.k8s.io/v1,\n kind: Ingress,\n # note\n metadata: { name: web },\n spec:\n  {\n   rules: [ { host: shop.example.com, http: { paths: [ { path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } } ] } } ]\n  }\n}\n';
    await checkFixes({ files: { 'deploy/app.yaml': text } });
  });
});

describe('more fix regressions found by the fuzz run', function () {
  this.timeout(60_000);
  it('compose limits into an anchored flow deploy (a rewrite would drop the anchor its alias needs)', async () => {
    const text = 'services:\r\n web:\r\n  image: nginx:1.27\r\n  deploy: &a1 { resources: { limits: { memory: 512m } } }\r\n ledger-api:\r\n  image: nginx:1.27\r\n  deploy: *a1\r\n';
    await checkFixes({ files: { 'docker-compose.yml': text } });
  });
});

describe('replicas fix regressions found by the fuzz run', function () {
  this.timeout(60_000);
  it('a Deployment written in flow style behind a Service is not offered a block insertion', async () => {
    const text =
      '{ apiVersion: apps/v1, kind: Deployment, metadata: { name: web }, spec: { selector: { matchLabels: { app: web } }, template: { metadata: { labels: { app: web } }, ' +
      'spec: { containers: [ { name: web, image: nginx:1.27 } ] } } } }\r\n---\r\napiVersion: v1\r\nkind: Service\r\nmetadata: { name: web }\r\nspec:\r\n selector: { app: web }\r\n ports:\r\n  - { port: 80, targetPort: 8080 }\r\n';
    await checkFixes({ files: { 'deploy/app.yaml': text } });
  });
});
