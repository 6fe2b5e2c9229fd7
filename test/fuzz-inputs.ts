// Input generators and invariant checks shared by the property tests (mocha, bounded) and the
// long fuzz run (scripts/fuzz.ts, unbounded). Inputs are either built from per-kind fragments
// or are the repository's own fixtures, mutated.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyseText, extractFacts, MemoryFactsCache } from '../server/src/engine/extract';
import type { FileFacts } from '../server/src/engine/types';

export interface FuzzFile {
  path: string;
  text: string;
}

const TEST_DIR = __dirname;

/** Where a fixture file would live in a workspace: its path inside the fixture tree (or the name fixture.json asks for). */
function workspacePath(abs: string): string | undefined {
  const rel = path.relative(TEST_DIR, abs).split(path.sep);
  if (rel[0] === 'fixtures' && rel[1] === 'apps') return rel.slice(3).join('/');
  if (rel[0] !== 'rules' || rel.length < 4) return undefined;
  const fixtureDir = path.join(TEST_DIR, ...rel.slice(0, 3));
  const inner = rel.slice(3);
  if (inner.length > 1) return inner.slice(1).join('/');
  if (inner[0] === 'fixture.json') return undefined;
  const config = path.join(fixtureDir, 'fixture.json');
  if (fs.existsSync(config)) {
    const name = (JSON.parse(fs.readFileSync(config, 'utf8')) as { fileName?: string }).fileName;
    if (name) return name;
  }
  return inner[0];
}

let corpusCache: FuzzFile[] | undefined;

/** The repository's rule fixtures and sample apps, each under the name it has in its workspace. */
export function fixtureCorpus(): FuzzFile[] {
  if (corpusCache) return corpusCache;
  const out: FuzzFile[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else if (fs.statSync(abs).size < 64 * 1024) {
        const p = workspacePath(abs);
        if (p) out.push({ path: p, text: fs.readFileSync(abs, 'utf8') });
      }
    }
  };
  walk(path.join(TEST_DIR, 'rules'));
  walk(path.join(TEST_DIR, 'fixtures', 'apps'));
  corpusCache = out;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Text mutations

const ODD_TEXT = [
  '\u0000', '\uFEFF', '\u202E', '\uD800', '\uDC00', '😀', 'é', '\u2028', '\r', '\t', '\\', '"', "'", '`', '#',
  '---', '...', '&a', '*a', '!!js/function', '${{', '}}', '{', '[', ':', '- ', '<<: *a', '%YAML 1.2', '\u00A0',
];

export type Mutation =
  | { op: 'delete'; at: number }
  | { op: 'duplicate'; at: number }
  | { op: 'swap'; a: number; b: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'truncate'; at: number }
  | { op: 'nest'; at: number; depth: number; style: number }
  | { op: 'huge'; at: number; length: number }
  | { op: 'crlf' }
  | { op: 'indent'; at: number; by: number };

export const arbMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...ODD_TEXT), fc.string({ unit: 'binary', maxLength: 8 }), fc.string({ maxLength: 12 })) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('nest' as const), at: fc.nat(), depth: fc.integer({ min: 1, max: 400 }), style: fc.nat({ max: 4 }) }),
  fc.record({ op: fc.constant('huge' as const), at: fc.nat(), length: fc.integer({ min: 1000, max: 200_000 }) }),
  fc.constant({ op: 'crlf' as const }),
  fc.record({ op: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 7 }) }),
);

function nesting(depth: number, style: number): string {
  switch (style) {
    case 0:
      return '['.repeat(depth) + ']'.repeat(depth);
    case 1:
      return '{a: '.repeat(depth) + '1' + '}'.repeat(depth);
    case 2:
      return Array.from({ length: depth }, (_, i) => ' '.repeat(i) + 'k:').join('\n') + ' v';
    case 3:
      return '('.repeat(depth) + '1' + ')'.repeat(depth);
    default:
      return Array.from({ length: depth }, (_, i) => ' '.repeat(i * 2) + '- ').join('\n') + 'x';
  }
}

export function mutate(text: string, m: Mutation): string {
  const lines = text.split('\n');
  const line = (n: number): number => (lines.length === 0 ? 0 : n % lines.length);
  const offset = (n: number): number => (text.length === 0 ? 0 : n % (text.length + 1));
  switch (m.op) {
    case 'delete':
      lines.splice(line(m.at), 1);
      return lines.join('\n');
    case 'duplicate':
      lines.splice(line(m.at), 0, lines[line(m.at)] ?? '');
      return lines.join('\n');
    case 'swap': {
      const a = line(m.a);
      const b = line(m.b);
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return lines.join('\n');
    }
    case 'insert':
      return text.slice(0, offset(m.at)) + m.text + text.slice(offset(m.at));
    case 'truncate':
      return text.slice(0, offset(m.at));
    case 'nest': {
      const at = line(m.at);
      lines.splice(at, 0, nesting(m.depth, m.style));
      return lines.join('\n');
    }
    case 'huge':
      return text.slice(0, offset(m.at)) + 'x'.repeat(m.length) + text.slice(offset(m.at));
    case 'crlf':
      return text.replace(/\r?\n/g, '\r\n');
    case 'indent': {
      const at = line(m.at);
      const l = lines[at] ?? '';
      lines[at] = m.by >= 0 ? ' '.repeat(m.by) + l : l.slice(Math.min(-m.by, l.length - l.trimStart().length));
      return lines.join('\n');
    }
  }
}

/** A fixture with one to five mutations applied. */
export const arbMutatedFixture: fc.Arbitrary<FuzzFile> = fc
  .tuple(fc.nat(), fc.array(arbMutation, { minLength: 1, maxLength: 5 }))
  .map(([pick, ms]) => {
    const corpus = fixtureCorpus();
    const base = corpus[pick % corpus.length]!;
    return { path: base.path, text: ms.reduce(mutate, base.text) };
  });

// ---------------------------------------------------------------------------------------------
// Inputs built from fragments, by kind

const KINDS: { paths: string[]; fragments: string[] }[] = [
  {
    paths: ['deploy/app.yaml', 'k8s/deployment.yml', 'chart/values.yaml', 'kustomization.yaml'],
    fragments: [
      'apiVersion: apps/v1\n', 'apiVersion: v1\n', 'kind: Deployment\n', 'kind: Pod\n', 'kind: Service\n', 'kind: Ingress\n', 'kind: CronJob\n',
      'metadata:\n  name: web\n', 'spec:\n', '  replicas: 1\n', '  template:\n    spec:\n', '      containers:\n', '        - name: web\n',
      '          image: nginx:latest\n', '          resources: {}\n', '          livenessProbe:\n            httpGet: { path: /, port: 80 }\n',
      '          env:\n            - name: DB_PASSWORD\n              value: "hunter2hunter2"\n', '---\n', '# comment\n', 'x: &a { b: 1 }\n', 'y: *a\n',
      '  securityContext: { runAsNonRoot: true }\n', '  tls:\n  - hosts: [a.example.com]\n', 'resources:\n  - deploy.yaml\n', 'patches:\n  - path: p.yaml\n',
      '"quoted": \'value\'\n', '? complex\n: key\n', '!!binary |\n  AAAA\n', 'list: [1, 2, {a: b}]\n',
    ],
  },
  {
    paths: ['Dockerfile', 'api/Dockerfile', 'Dockerfile.prod', '.dockerignore'],
    fragments: [
      'FROM node:20 AS build\n', 'FROM scratch\n', 'FROM ${BASE}\n', 'FROM --platform=$BUILDPLATFORM python:3.12-slim\n', 'RUN npm ci && npm run build\n',
      'RUN apt-get update \\\n  && apt-get install -y curl\n', 'USER node\n', 'USER 1000:1000\n', 'HEALTHCHECK CMD curl -f http://localhost/ || exit 1\n',
      'HEALTHCHECK NONE\n', 'EXPOSE 8080/tcp\n', 'COPY --from=build /app /app\n', 'COPY . .\n', 'ADD https://example.com/x.tgz /x\n', 'ENV API_TOKEN=abc123def456\n',
      'ARG SECRET_KEY\n', 'CMD ["node", "server.js"]\n', 'ENTRYPOINT node server.js\n', '# syntax=docker/dockerfile:1\n', 'RUN <<EOF\necho hi\nEOF\n',
      'ONBUILD RUN x\n', 'node_modules\n', '.git\n', '!keep\n', 'WORKDIR /app\n', '\\\n',
    ],
  },
  {
    paths: ['docker-compose.yml', 'compose.yaml', 'docker-compose.override.yml'],
    fragments: [
      'services:\n', '  web:\n', '    image: nginx\n', '    build: .\n', '    ports: ["8080:80"]\n', '    ports:\n      - "5432:5432"\n', '    restart: always\n',
      '    healthcheck:\n      test: ["CMD", "true"]\n', '    environment:\n      - PASSWORD=secret123456\n', '    environment:\n      DB_PASSWORD: hunter2hunter2\n',
      '    deploy:\n      resources:\n        limits: { memory: 512m }\n', '  db:\n    image: postgres:16\n', '    volumes:\n      - data:/var/lib/postgresql/data\n',
      'volumes:\n  data: {}\n', 'x-common: &common\n  restart: unless-stopped\n', '    <<: *common\n', 'version: "3.8"\n', '# comment\n', 'secrets:\n  s:\n    file: ./s.txt\n',
    ],
  },
  {
    paths: ['src/server.ts', 'src/app.js', 'app/api/users/route.ts', 'src/users.controller.ts', 'index.mjs'],
    fragments: [
      "import express from 'express';\n", "const express = require('express');\n", 'const app = express();\n', "app.get('/users/:id', (req, res) => res.json({}));\n",
      "app.use('/api', router);\n", 'const router = express.Router();\n', "router.post('/x', auth, handler);\n", 'app.listen(process.env.PORT ?? 3000);\n',
      "@Controller('users')\nexport class UsersController {\n", "  @Get(':id')\n  find() { return 1; }\n", '}\n', 'export async function GET(req: Request) { return Response.json({}); }\n',
      "import Fastify from 'fastify';\nconst f = Fastify({ logger: true });\n", "f.route({ method: 'GET', url: '/x', handler: h });\n", 'app.set("env", "development");\n',
      "const apiKey = 'sk_live_0123456789abcdefghijklmn';\n", 'const s = `tpl ${x}`;\n', '/* unterminated\n', '// comment\n', 'function (\n', '{{{{\n', "'\n",
      'export default defineConfig({});\n', 'import { Hono } from "hono";\nconst h = new Hono();\nh.get("/", (c) => c.text("ok"));\n',
    ],
  },
  {
    paths: ['app/main.py', 'app.py', 'api/__init__.py', 'settings.py', 'views.py'],
    fragments: [
      'from fastapi import FastAPI, Depends\n', 'app = FastAPI()\n', '@app.get("/items/{id}")\n', 'async def read(id: int, user=Depends(auth)):\n', '    return {}\n',
      'from flask import Flask, Blueprint\n', 'app = Flask(__name__)\n', '@app.route("/x", methods=["POST"])\n', 'def x():\n', '    pass\n', 'DEBUG = True\n',
      'app.run(debug=True)\n', 'bp = Blueprint("bp", __name__)\n', 'app.register_blueprint(bp, url_prefix="/v1")\n', 'urlpatterns = [path("a/", views.a)]\n',
      'SECRET_KEY = "django-insecure-0123456789abcdefghij"\n', 'import os\nos.environ["DATABASE_URL"]\n', 'class V(APIView):\n    permission_classes = [IsAuthenticated]\n',
      'def broken(:\n', '"""unterminated\n', '\tmixed\n', 'router = APIRouter(prefix="/r")\n', 'app.include_router(router)\n',
    ],
  },
  {
    paths: ['package.json', 'requirements.txt', 'requirements-dev.txt', 'pyproject.toml', 'Pipfile', 'renovate.json'],
    fragments: [
      '{', '}', '"name": "x",', '"dependencies": {"express": "^4.18.0"},', '"scripts": {"start": "node ."},', '"workspaces": ["a/*"],', '"renovate": {"extends": []},',
      'flask==3.0.0\n', 'requests>=2\n', '-r other.txt\n', '-e git+https://example.com/x.git#egg=x\n', 'uvicorn[standard] ; python_version > "3.8"\n', '# comment\n',
      '[project]\n', 'name = "x"\n', 'dependencies = ["fastapi>=0.100", "pydantic"]\n', '[tool.poetry.dependencies]\n', 'python = "^3.11"\n', '[packages]\n',
      'django = "*"\n', '"""\n', '[[\n', '"a": [1, 2,', '\\u0000', '"__proto__": {"x": 1},',
    ],
  },
  {
    paths: ['.github/workflows/ci.yml', '.gitlab-ci.yml', 'Jenkinsfile', '.circleci/config.yml', 'azure-pipelines.yml', '.github/dependabot.yml'],
    fragments: [
      'on: [push]\n', 'on:\n  pull_request:\n', 'jobs:\n', '  test:\n', '    runs-on: ubuntu-latest\n', '    steps:\n', '      - uses: actions/checkout@v4\n',
      '      - run: npm test\n', '      - run: |\n          npm ci\n          npm run lint\n', 'stages: [test, deploy]\n', 'test:\n  script:\n    - pytest\n',
      'deploy:\n  stage: deploy\n  when: manual\n', 'pipeline {\n', '  agent any\n', '  stages {\n', "    stage('Test') {\n", "      steps { sh 'make test' }\n", '    }\n', '  }\n',
      '}\n', "node { sh '''\nmulti\n''' }\n", '"unterminated\n', '/* c */\n', 'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n', 'include: other.yml\n',
    ],
  },
  {
    paths: ['README.md', 'docs/runbook.md', 'SECURITY.md', 'docs/deployment.md', 'api/openapi.yaml', 'openapi.json', '.env', '.env.example', 'infra/main.tf', '.readiness.yaml'],
    fragments: [
      '# Title\n', '## Running\n', '```bash\nnpm start\n```\n', '```\nunterminated\n', '- item\n', '> quote\n', '[link](http://x)\n', '<details>\n', '| a | b |\n|---|---|\n',
      'Set `DATABASE_URL` and API_KEY.\n', 'openapi: 3.0.0\n', 'paths:\n  /x:\n    get:\n      security: []\n', '{"openapi": "3.1.0", "paths": {}}', 'DB_PASSWORD=hunter2hunter2\n',
      'export API_KEY="abc"\n', 'resource "aws_db_instance" "db" {\n  backup_retention_period = 0\n}\n', 'rules:\n  k8s/probes: off\n', 'ignore: ["**"]\n', '{\n',
      '<!-- readiness-disable-next-line k8s/probes -->\n', '# readiness-disable-file\n',
    ],
  },
];

/** A file of some kind put together from that kind's fragments, with random text between. */
export const arbGeneratedFile: fc.Arbitrary<FuzzFile> = fc.nat({ max: KINDS.length - 1 }).chain((k) => {
  const kind = KINDS[k]!;
  const piece = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...kind.fragments) }, { weight: 1, arbitrary: fc.constantFrom(...ODD_TEXT) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) });
  return fc.record({ path: fc.constantFrom(...kind.paths), text: fc.array(piece, { maxLength: 40 }).map((ps) => ps.join('')) });
});

/** Any input: generated, a mutated fixture, or plain random text under a meaningful name. */
export const arbAnyFile: fc.Arbitrary<FuzzFile> = fc.oneof(
  { weight: 4, arbitrary: arbGeneratedFile },
  { weight: 4, arbitrary: arbMutatedFixture },
  { weight: 1, arbitrary: fc.record({ path: fc.constantFrom(...KINDS.flatMap((k) => k.paths)), text: fc.string({ unit: 'binary', maxLength: 300 }) }) },
);

// ---------------------------------------------------------------------------------------------
// Invariants on facts

/** Every span-like value in the facts lies within the text, start ≤ end; returns the problems found. */
export function spanProblems(facts: FileFacts, textLength: number): string[] {
  const problems: string[] = [];
  const inText = (where: string, start: unknown, end: unknown): void => {
    if (typeof start !== 'number' || typeof end !== 'number') return;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > textLength) problems.push(`${where}: [${start}, ${end}) of ${textLength}`);
  };
  const walk = (v: unknown, where: string, depth: number): void => {
    if (depth > 200 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${where}[${i}]`, depth + 1));
      return;
    }
    const o = v as Record<string, unknown>;
    if (typeof o.start === 'number' && typeof o.end === 'number') inText(where, o.start, o.end);
    for (const [key, x] of Object.entries(o)) {
      if ((key === 'span' || key === 'v' || key === 'k') && Array.isArray(x) && x.length === 2) inText(`${where}.${key}`, x[0], x[1]);
      if (key === 'offset' && typeof x === 'number') inText(`${where}.offset`, x, x);
      // YAML values are the document's data, not positions.
      if (key === 'value' && where.startsWith('yaml')) continue;
      walk(x, where ? `${where}.${key}` : key, depth + 1);
    }
  };
  walk({ ...facts, lineStarts: undefined }, '', 0);
  facts.lineStarts.forEach((s, i) => {
    if (s < 0 || s > textLength || (i > 0 && s <= facts.lineStarts[i - 1]!)) problems.push(`lineStarts[${i}] = ${s}`);
  });
  return problems;
}

/** Facts must survive the disk cache: plain JSON data only (no functions, cycles, class instances, NaN, undefined in arrays). */
export function jsonProblems(v: unknown, where = 'facts', seen = new Set<unknown>()): string[] {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return [];
  if (typeof v === 'number') return Number.isFinite(v) ? [] : [`${where}: ${v}`];
  if (typeof v !== 'object') return [`${where}: ${typeof v}`];
  if (seen.has(v)) return [`${where}: cycle`];
  seen.add(v);
  const out: string[] = [];
  if (Array.isArray(v)) {
    v.forEach((x, i) => out.push(...(x === undefined ? [`${where}[${i}]: undefined`] : jsonProblems(x, `${where}[${i}]`, seen))));
  } else {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) out.push(`${where}: instance of ${(proto as { constructor?: { name?: string } }).constructor?.name}`);
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out.push(...jsonProblems(x, `${where}.${k}`, seen));
  }
  seen.delete(v);
  return out;
}

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
