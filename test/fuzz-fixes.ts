// Random valid-but-incomplete manifests (Kubernetes workloads, Ingresses, compose services,
// Dockerfiles) in many YAML styles, and the fix properties checked on them: fixes keep the
// YAML valid, remove the finding they address, and a second round changes nothing.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { Document, isCollection, isMap, isScalar, parseAllDocuments, visit, type Node } from 'yaml';
import { allRules } from '../rules/index';
import { computeFix, scan } from '../server/src/engine/index';
import type { Rule } from '../server/src/engine/rule';
import { applyEdits } from '../server/src/engine/text';
import type { Finding } from '../server/src/engine/types';
import { readTree, tempDir, writeTree } from './harness';

/** The rules that offer fixes. */
export const FIX_RULES: Rule[] = allRules.filter((r) => r.fix !== undefined);

interface Style {
  indent: number;
  indentSeq: boolean;
  stringType: 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE';
  keyType: 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE';
  /** Per collection (in visit order): make it a flow collection. */
  flow: boolean[];
  /** Per node: a comment before it / after it. */
  comments: number[];
  anchors: boolean;
  docComment: boolean;
  crlf: boolean;
}

const arbStyle: fc.Arbitrary<Style> = fc.record({
  indent: fc.integer({ min: 1, max: 6 }),
  indentSeq: fc.boolean(),
  stringType: fc.constantFrom('PLAIN' as const, 'QUOTE_DOUBLE' as const, 'QUOTE_SINGLE' as const),
  keyType: fc.constantFrom('PLAIN' as const, 'PLAIN' as const, 'QUOTE_DOUBLE' as const, 'QUOTE_SINGLE' as const),
  flow: fc.array(fc.nat({ max: 4 }).map((n) => n === 0), { maxLength: 40 }),
  comments: fc.array(fc.nat({ max: 5 }), { maxLength: 60 }),
  anchors: fc.boolean(),
  docComment: fc.boolean(),
  crlf: fc.nat({ max: 5 }).map((n) => n === 0),
});

/** Renders data as YAML in the given style (flow collections, quoting, comments, anchors for repeated labels). */
export function renderYaml(docs: unknown[], style: Style): string {
  const parts = docs.map((data, di) => {
    const doc = new Document(data);
    let ci = 0;
    let ni = 0;
    visit(doc, {
      Node(_key, node) {
        if (isCollection(node)) {
          const flow = style.flow[(ci++ + di) % Math.max(style.flow.length, 1)] ?? false;
          if (flow) node.flow = true;
        }
        const c = style.comments[(ni++ + di) % Math.max(style.comments.length, 1)] ?? 0;
        if (c === 1) (node as Node).commentBefore = ' note';
        if (c === 2 && isScalar(node)) node.comment = ' trailing note';
      },
    });
    if (style.anchors) {
      // The pod labels repeat the selector: make them an alias of it, as people do.
      const labels = doc.getIn(['spec', 'selector', 'matchLabels'], true);
      if (isMap(labels) && doc.hasIn(['spec', 'template', 'metadata', 'labels'])) {
        labels.anchor = 'labels';
        doc.setIn(['spec', 'template', 'metadata', 'labels'], doc.createAlias(labels, 'labels'));
      }
    }
    if (style.docComment) doc.commentBefore = ' generated';
    const options = { indent: style.indent, indentSeq: style.indentSeq, defaultStringType: style.stringType, defaultKeyType: style.keyType, lineWidth: 0 };
    const text = doc.toString(options);
    if (parseAllDocuments(text).every((d) => d.errors.length === 0)) return text;
    // The library places some comments where they make the YAML invalid (before an empty `[]`
    // at the key's indentation): the input is then rendered without comments.
    visit(doc, { Node: (_k, node) => void ((node as Node).commentBefore = (node as Node).comment = undefined) });
    return doc.toString(options);
  });
  const text = parts.map((p, i) => (i === 0 ? p : `---\n${p}`)).join('');
  return style.crlf ? text.replace(/\n/g, '\r\n') : text;
}

const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined, freq: 2 });

const arbName = fc.constantFrom('web', 'api', 'worker', 'ledger-api', 'cache', 'db');
const arbImage = fc.constantFrom('nginx:1.27', 'registry.example.com/api:1.4.2', 'postgres:16', 'redis:7', 'busybox', 'node:20-slim');

const arbSecurityContext = fc.record(
  { runAsNonRoot: fc.boolean(), readOnlyRootFilesystem: fc.boolean(), allowPrivilegeEscalation: fc.boolean(), privileged: fc.boolean(), runAsUser: fc.constantFrom(0, 1000) },
  { requiredKeys: [] },
);

const arbResources = fc.record(
  {
    limits: fc.record({ cpu: fc.constantFrom('500m', '1'), memory: fc.constantFrom('256Mi', '1Gi') }, { requiredKeys: [] }),
    requests: fc.record({ cpu: fc.constantFrom('100m'), memory: fc.constantFrom('128Mi') }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

const arbProbe = fc.oneof(
  fc.record({ httpGet: fc.record({ path: fc.constantFrom('/healthz', '/'), port: fc.constantFrom(8080, 'http') }) }),
  fc.record({ tcpSocket: fc.record({ port: fc.constant(5432) }) }),
);

const arbEnv = fc.uniqueArray(
  fc.oneof(
    fc.record({ name: fc.constantFrom('DB_PASSWORD', 'API_TOKEN', 'SECRET_KEY'), value: fc.constantFrom('hunter2hunter2', 'Zq8xK2mP9vR4tY7w', 's3cr3t-Val-9931') }),
    fc.record({ name: fc.constantFrom('LOG_LEVEL', 'PORT'), value: fc.constantFrom('info', '8080') }),
  ),
  { maxLength: 3, selector: (e) => e.name },
);

const arbContainer = fc.record(
  {
    name: arbName,
    image: arbImage,
    ports: maybe(fc.constant([{ containerPort: 8080, name: 'http' }])),
    resources: maybe(arbResources),
    livenessProbe: maybe(arbProbe),
    readinessProbe: maybe(arbProbe),
    securityContext: maybe(arbSecurityContext),
    env: maybe(arbEnv),
  },
  { requiredKeys: ['name', 'image'] },
);

const arbPodSpec = fc.record(
  {
    containers: fc.uniqueArray(arbContainer, { minLength: 1, maxLength: 2, selector: (c) => c.name }),
    securityContext: maybe(fc.record({ runAsNonRoot: fc.boolean() }, { requiredKeys: [] })),
  },
  { requiredKeys: ['containers'] },
);

const arbWorkload = fc.oneof(
  fc.record({
    apiVersion: fc.constant('apps/v1'),
    kind: fc.constantFrom('Deployment', 'StatefulSet', 'DaemonSet'),
    metadata: fc.record({ name: arbName }),
    spec: fc.record(
      {
        replicas: maybe(fc.integer({ min: 0, max: 3 })),
        selector: fc.constant({ matchLabels: { app: 'web' } }),
        template: fc.record({ metadata: fc.constant({ labels: { app: 'web' } }), spec: arbPodSpec }),
      },
      { requiredKeys: ['selector', 'template'] },
    ),
  }),
  fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('Pod'), metadata: fc.record({ name: arbName }), spec: arbPodSpec }),
  fc.record({
    apiVersion: fc.constant('v1'),
    kind: fc.constant('Service'),
    metadata: fc.record({ name: arbName }),
    spec: fc.constant({ selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] }),
  }),
  fc.record({
    apiVersion: fc.constant('networking.k8s.io/v1'),
    kind: fc.constant('Ingress'),
    metadata: fc.record({ name: arbName }),
    spec: fc.record({ rules: fc.constant([{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }]) }),
  }),
);

const arbComposeService = fc.record(
  {
    image: arbImage,
    build: maybe(fc.constant('.')),
    ports: maybe(fc.array(fc.constantFrom('8080:80', '5432:5432', '6379:6379', '127.0.0.1:9000:9000', 3000), { minLength: 1, maxLength: 2 })),
    restart: maybe(fc.constantFrom('always', 'no', 'unless-stopped')),
    environment: maybe(fc.oneof(fc.constant({ POSTGRES_PASSWORD: 'hunter2hunter2', LOG_LEVEL: 'info' }), fc.constant(['API_TOKEN=Zq8xK2mP9vR4tY7w', 'PORT=8080']))),
    healthcheck: maybe(fc.constant({ test: ['CMD', 'true'], interval: '10s' })),
    volumes: maybe(fc.constant(['./src:/app/src'])),
    deploy: maybe(fc.constant({ resources: { limits: { memory: '512m' } } })),
  },
  { requiredKeys: ['image'] },
);

const arbCompose = fc.dictionary(arbName, arbComposeService, { minKeys: 1, maxKeys: 3 }).map((services) => ({ services }));

export interface FixCase {
  files: Record<string, string>;
}

const lines = (...parts: fc.Arbitrary<string | undefined>[]): fc.Arbitrary<string> => fc.tuple(...parts).map((ls) => ls.filter((l) => l !== undefined).join(''));

/** A service's files for the Dockerfile, secret and debug fixes: each line there or not. */
const arbAppFiles = fc
  .record({
    dir: fc.constantFrom('', 'api/', 'services/billing/'),
    crlf: fc.nat({ max: 5 }).map((n) => n === 0),
    dockerfile: lines(
      fc.constantFrom('FROM node:20-slim\n', 'FROM node:20 AS build\nRUN npm ci\nFROM node:20-slim\nCOPY --from=build /app /app\n', 'FROM python:3.12-slim\n'),
      maybe(fc.constant('WORKDIR /app\n')),
      maybe(fc.constantFrom('COPY . .\n', 'COPY package.json ./\nRUN npm ci\nCOPY . .\n')),
      maybe(fc.constantFrom('ENV API_TOKEN=Zq8xK2mP9vR4tY7w\n', 'ARG DB_PASSWORD=hunter2hunter2\n', 'ENV LOG_LEVEL=info\n')),
      maybe(fc.constantFrom('EXPOSE 8080\n', 'EXPOSE 3000/tcp\n')),
      maybe(fc.constantFrom('USER node\n', 'USER root\n', 'USER 1000\n')),
      maybe(fc.constantFrom('HEALTHCHECK CMD curl -f http://localhost:8080/healthz || exit 1\n', '# no healthcheck yet\n')),
      fc.constantFrom('CMD ["node", "server.js"]\n', 'CMD node server.js\n', 'ENTRYPOINT ["python", "app.py"]\n', ''),
    ),
    dockerignore: maybe(fc.constantFrom('node_modules\n', '.git\n*.log\n', '# nothing\n')),
    env: maybe(fc.constantFrom('DB_PASSWORD=Kq3zW8pT5vM1xN6b\nLOG_LEVEL=info\n', 'API_KEY=\n', 'SECRET_KEY="Wm3xQ9vT2pL7zR4k"\n')),
    ts: maybe(
      lines(
        fc.constant("import express from 'express';\nconst app = express();\n"),
        maybe(fc.constantFrom("const apiKey = 'q8Zr2LpX0vNw5TbKc7Hy';\n", "export const config = { dbPassword: \"Wm3xQ9vT2pL7zR4k\", region: 'eu-west-1' };\n")),
        maybe(fc.constant("const jwtSecret = process.env.JWT_SECRET || 'superSecret';\n")),
        maybe(fc.constant("app.set('env', 'development');\n")),
        fc.constant("app.get('/orders', (req, res) => res.json([]));\napp.listen(3000);\n"),
      ),
    ),
    py: maybe(
      lines(
        fc.constant('from flask import Flask\n\napp = Flask(__name__)\n'),
        maybe(fc.constant('SECRET_KEY = "Hx8vQ2rT5nK9wJ3m"\n')),
        fc.constant('\n\n@app.route("/items")\ndef items():\n    return []\n'),
        maybe(fc.constantFrom('\n\nif __name__ == "__main__":\n    app.run(debug=True)\n', 'app.config["DEBUG"] = True\n')),
      ),
    ),
    yaml: maybe(fc.constantFrom('# settings\ndatabase:\n  host: db.internal\n  password: Hx8vQ2rT5nK9wJ3m\n  user: app\n', 'smtp: { host: mail, password: "Hx8vQ2rT5nK9wJ3m" }\n')),
  })
  .map((a) => {
    const files: Record<string, string> = { [`${a.dir}Dockerfile`]: a.dockerfile };
    if (a.dockerignore !== undefined) files[`${a.dir}.dockerignore`] = a.dockerignore;
    if (a.env !== undefined) files[`${a.dir}.env`] = a.env;
    if (a.ts !== undefined) files[`${a.dir}src/server.ts`] = a.ts;
    if (a.ts !== undefined) files[`${a.dir}package.json`] = JSON.stringify({ name: 'orders', dependencies: { express: '^4.19.2' } }, null, 2) + '\n';
    if (a.py !== undefined) files[`${a.dir}app.py`] = a.py;
    if (a.py !== undefined) files[`${a.dir}requirements.txt`] = 'flask==3.0.3\n';
    if (a.yaml !== undefined) files[`${a.dir}config/app.yaml`] = a.yaml;
    return { files: a.crlf ? Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v.replace(/\n/g, '\r\n')])) : files };
  });

/** A workspace of one to three Kubernetes documents, or a compose file, in a random style; or a service's Dockerfile and sources. */
export const arbFixCase: fc.Arbitrary<FixCase> = fc.oneof(
  arbAppFiles,
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.uniqueArray(arbWorkload, { minLength: 1, maxLength: 3, selector: (w) => `${w.kind}/${w.metadata.name}` }), arbStyle)
      .map(([docs, style]) => ({ files: { 'deploy/app.yaml': renderYaml(docs, style) } })),
  },
  fc.tuple(arbCompose, arbStyle).map(([doc, style]) => ({ files: { 'docker-compose.yml': renderYaml([doc], { ...style, anchors: false }) } })),
);

function readFiles(dir: string, names: Iterable<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const abs = path.join(dir, n);
    if (fs.existsSync(abs)) out[n] = fs.readFileSync(abs, 'utf8');
  }
  return out;
}

function applyFix(dir: string, finding: Finding, index: number, roots: readonly string[], rules: readonly Rule[]): string[] {
  const fix = computeFix(rules, finding, index, roots);
  const byFile = new Map<string, typeof fix.edits>();
  for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, edits] of byFile) {
    const abs = path.join(dir, file);
    const before = fs.existsSync(abs) ? fs.readFileSync(abs, 'utf8') : '';
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, applyEdits(before, edits));
  }
  return [...byFile.keys()];
}

const identity = (f: Finding): string => `${f.ruleId} ${f.subjectKey.slice(f.subjectKey.indexOf('#'))} ${f.messageId}`;

function assertValidYaml(files: Record<string, string>, context: string): void {
  for (const [name, text] of Object.entries(files)) {
    if (!/\.ya?ml$/.test(name)) continue;
    const docs = parseAllDocuments(text);
    const errors = (Array.isArray(docs) ? docs : [docs]).flatMap((d) => d.errors.map((e) => e.message));
    assert.deepEqual(errors, [], `${context}: ${name} is valid YAML:\n${text}`);
  }
}

/** The documents' identities (kind/name or compose service names): fixes must not lose or add any. */
function shapeOf(text: string): unknown[] {
  return parseAllDocuments(text.replace(/\r\n/g, '\n'))
    .map((d) => d.toJS({ maxAliasCount: -1 }) as Record<string, unknown> | null)
    .map((v) => (v && typeof v === 'object' ? [v.kind, (v.metadata as { name?: unknown } | undefined)?.name, Object.keys((v.services as object | undefined) ?? {})] : v));
}

/**
 * The fix properties on one workspace: each offered fix alone keeps the YAML valid and (the first
 * offer) removes its finding; fixing everything (first fix of each, one at a time as an editor does) keeps the YAML
 * valid, removes every addressed finding, keeps the documents, and a second round changes nothing.
 */
export async function checkFixes(c: FixCase, rules: readonly Rule[] = FIX_RULES): Promise<{ applied: number; single: number; rules: string[] }> {
  const dir = tempDir('readiness-fuzzfix-');
  try {
    const names = Object.keys(c.files);
    const reset = (): void => {
      for (const e of fs.readdirSync(dir)) fs.rmSync(path.join(dir, e), { recursive: true, force: true });
      writeTree(dir, new Map(Object.entries(c.files)));
    };
    reset();
    const outcome = await scan({ roots: [dir], rules: [...rules], strictConfig: true });
    assert.deepEqual(outcome.errors, [], 'the generated workspace parses');
    const fixable = outcome.findings.filter((f) => f.fixes.length > 0);
    // Each fix on its own.
    for (const f of fixable) {
      for (let i = 0; i < f.fixes.length; i++) {
        reset();
        const touched = applyFix(dir, f, i, outcome.roots, rules);
        assertValidYaml(readFiles(dir, touched), `fix '${f.fixes[i]!.title}' of ${f.ruleId}`);
        const after = await scan({ roots: [dir], rules: rules.filter((r) => r.meta.id === f.ruleId), strictConfig: true });
        assert.deepEqual(after.errors, [], `after fix '${f.fixes[i]!.title}': no parse errors`);
        // The first offer is the fix (fix-all applies it); a later one may do a related chore (an
        // example file next to a committed .env): it must still change something.
        if (i === 0) assert.ok(!after.findings.some((g) => identity(g) === identity(f)), `fix '${f.fixes[i]!.title}' removes ${f.ruleId} ${f.message}:\n${readFiles(dir, touched)[touched[0]!]}`);
        else assert.notDeepEqual(readTree(dir), new Map(Object.entries(c.files)), `fix '${f.fixes[i]!.title}' changes something`);
      }
    }
    // Fix everything, then again. (Container and object names are unique, as Kubernetes requires: findings are told apart by them.)
    reset();
    const applied: Finding[] = [];
    const tried = new Set<string>();
    const touched = new Set(names);
    for (let round = 0; ; round++) {
      assert.ok(round < 60, 'fixes converge');
      const now = await scan({ roots: [dir], rules: [...rules], strictConfig: true });
      const next = now.findings.find((f) => f.fixes.length > 0 && !tried.has(f.fingerprint));
      if (!next) break;
      tried.add(next.fingerprint);
      for (const t of applyFix(dir, next, 0, now.roots, rules)) touched.add(t);
      applied.push(next);
    }
    const once = readFiles(dir, touched);
    assertValidYaml(once, 'after fixing everything');
    for (const n of names) if (/\.ya?ml$/.test(n)) assert.deepEqual(shapeOf(once[n]!), shapeOf(c.files[n]!), `fixes keep the documents of ${n}`);
    const final = await scan({ roots: [dir], rules: [...rules], strictConfig: true });
    assert.deepEqual(final.errors, [], 'no parse errors after fixing everything');
    const remaining = new Set(final.findings.map(identity));
    for (const f of applied) assert.ok(!remaining.has(identity(f)), `fixed finding is gone: ${f.ruleId} ${f.message}\n${JSON.stringify(once, null, 1)}`);
    const tree = readTree(dir);
    for (const f of final.findings.filter((g) => g.fixes.length > 0)) applyFix(dir, f, 0, final.roots, rules);
    assert.deepEqual(readTree(dir), tree, 'a second round of fixes changes nothing');
    return { applied: applied.length, single: fixable.reduce((n, f) => n + f.fixes.length, 0), rules: [...applied, ...fixable].map((f) => f.ruleId) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
