// A deterministic synthetic workspace for the benchmark: a monorepo of services with
// Kubernetes manifests (good and bad), compose files, Dockerfiles, TypeScript and Python
// sources, Markdown, JSON, a Helm chart, CI workflows, and the trees a scan must skip:
// a vendored node_modules/ and build output in dist/, plus git-ignored files.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const GENERATOR_VERSION = 4;

export interface WorkspaceSpec {
  services: number;
  nodeModulesPackages: number;
  distFiles: number;
}

/** About 10,000 scanned files (each service holds about 62 scanned files). */
export const DEFAULT_SPEC: WorkspaceSpec = { services: 162, nodeModulesPackages: 60, distFiles: 300 };

/** A spec of about `files` scanned files, for the growth series; the skipped trees scale with it. */
export function specForFiles(files: number): WorkspaceSpec {
  const scale = files / 10_000;
  return { services: Math.max(1, Math.round((files / 10_000) * DEFAULT_SPEC.services)), nodeModulesPackages: Math.max(1, Math.round(60 * scale)), distFiles: Math.max(1, Math.round(300 * scale)) };
}

/** mulberry32: small, fast, and the same sequence everywhere. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['order', 'invoice', 'customer', 'payment', 'cart', 'shipment', 'ledger', 'report', 'session', 'profile', 'catalog', 'review', 'coupon', 'stock', 'refund', 'audit'];

class Gen {
  private readonly r: () => number;
  readonly files = new Map<string, string>();
  constructor(seed: number) {
    this.r = prng(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r() * xs.length)]!;
  }
  word(): string {
    return this.pick(WORDS);
  }
  add(rel: string, text: string): void {
    this.files.set(rel, text);
  }
}

function container(g: Gen, name: string, good: boolean): string {
  const lines = [`        - name: ${name}`, `          image: ${good || g.chance(0.5) ? `registry.example.com/${name}:${g.int(1, 9)}.${g.int(0, 20)}.${g.int(0, 9)}` : `${name}:latest`}`];
  lines.push('          ports:', `            - containerPort: ${g.pick([3000, 8000, 8080])}`);
  if (good || g.chance(0.4)) {
    lines.push('          resources:', '            requests:', `              cpu: ${g.int(50, 500)}m`, `              memory: ${g.int(64, 512)}Mi`);
    if (good || g.chance(0.5)) lines.push('            limits:', `              cpu: ${g.int(500, 2000)}m`, `              memory: ${g.int(256, 2048)}Mi`);
  }
  if (good || g.chance(0.4)) {
    lines.push('          readinessProbe:', '            httpGet: { path: /ready, port: http }', '          livenessProbe:', '            httpGet: { path: /healthz, port: http }');
  }
  if (good || g.chance(0.3)) {
    lines.push('          securityContext:', '            runAsNonRoot: true', '            allowPrivilegeEscalation: false', '            readOnlyRootFilesystem: true', '            capabilities: { drop: [ALL] }');
  } else if (g.chance(0.2)) {
    lines.push('          securityContext:', '            privileged: true');
  }
  lines.push('          env:', '            - name: LOG_LEVEL', '              value: info');
  if (!good && g.chance(0.3)) lines.push('            - name: DB_PASSWORD', `              value: bench-not-a-secret-${g.int(1000, 9999)}`);
  else lines.push('            - name: DB_PASSWORD', '              valueFrom:', '                secretKeyRef: { name: db, key: password }');
  return lines.join('\n');
}

function deployment(g: Gen, svc: string, good: boolean): string {
  const annotations = g.chance(0.05) ? '\n  annotations:\n    readiness.dev/ignore: "k8s/replicas"\n    readiness.dev/ignore-reason: "singleton by design"' : '';
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${svc}
  namespace: ${g.pick(['shop', 'billing', 'platform'])}
  labels:
    app: ${svc}${annotations}
spec:
  replicas: ${good ? g.int(2, 6) : g.pick([1, 1, 2, 3])}
  selector:
    matchLabels:
      app: ${svc}
  template:
    metadata:
      labels:
        app: ${svc}
    spec:
      containers:
${container(g, svc, good)}${g.chance(0.3) ? '\n' + container(g, `${svc}-sidecar`, good) : ''}
`;
}

function service(svc: string): string {
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${svc}\nspec:\n  selector:\n    app: ${svc}\n  ports:\n    - port: 80\n      targetPort: http\n`;
}

function ingress(g: Gen, svc: string, good: boolean): string {
  const tls = good || g.chance(0.5) ? `  tls:\n    - hosts: [${svc}.example.com]\n      secretName: ${svc}-tls\n` : '';
  return `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ${svc}\nspec:\n${tls}  rules:\n    - host: ${svc}.example.com\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: ${svc}\n                port: { number: 80 }\n`;
}

function cronjob(g: Gen, svc: string, good: boolean): string {
  return `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: ${svc}-nightly\nspec:\n  schedule: "${g.int(0, 59)} ${g.int(0, 23)} * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n${container(g, `${svc}-job`, good)
    .split('\n')
    .map((l) => '    ' + l)
    .join('\n')}\n`;
}

function tsSource(g: Gen, svc: string, i: number): string {
  const entity = g.word();
  const parts = [`// ${svc}: ${entity} module ${i}`, `import { Router, type Request, type Response } from 'express';`, `import { logger } from '../lib/logger';`, `import { db } from '../lib/db';`, '', `export const ${entity}Router = Router();`, ''];
  const routes = g.int(2, 8);
  for (let r = 0; r < routes; r++) {
    const method = g.pick(['get', 'post', 'put', 'delete']);
    parts.push(
      `${entity}Router.${method}('/${entity}s/:id/${g.word()}${r}', async (req: Request, res: Response) => {`,
      `  const id = String(req.params.id);`,
      `  logger.info({ id, route: '${entity}-${r}' }, 'handling request');`,
      `  const rows = await db.query('SELECT * FROM ${entity}s WHERE id = $1 LIMIT ${g.int(1, 100)}', [id]);`,
      `  if (rows.length === 0) return res.status(404).json({ error: 'not found' });`,
      `  const total = rows.reduce((sum: number, row: { amount: number }) => sum + row.amount * ${g.int(1, 9)}, 0);`,
      `  res.json({ id, total, items: rows.map((row: { id: string }) => row.id) });`,
      `});`,
      '',
    );
  }
  const helpers = g.int(3, 12);
  for (let h = 0; h < helpers; h++) {
    parts.push(
      `/** Computes the ${g.word()} ${g.word()} for a batch of records. */`,
      `export function compute${entity[0]!.toUpperCase()}${entity.slice(1)}${h}(values: readonly number[], factor = ${g.int(1, 50)}): number {`,
      `  let acc = 0;`,
      `  for (const v of values) {`,
      `    if (v > ${g.int(10, 1000)}) acc += v * factor;`,
      `    else acc -= Math.floor(v / ${g.int(2, 9)});`,
      `  }`,
      `  return acc;`,
      `}`,
      '',
    );
  }
  if (g.chance(0.1)) parts.push(`const apiKey = 'bench-fake-key-${g.int(100000, 999999)}'; // readiness-ignore-line secrets/hardcoded -- synthetic`);
  return parts.join('\n') + '\n';
}

function pySource(g: Gen, svc: string, i: number): string {
  const entity = g.word();
  const parts = [`"""${svc}: ${entity} module ${i}."""`, 'from fastapi import APIRouter, HTTPException', 'import logging', '', 'log = logging.getLogger(__name__)', 'router = APIRouter()', ''];
  const routes = g.int(2, 8);
  for (let r = 0; r < routes; r++) {
    parts.push(
      `@router.${g.pick(['get', 'post', 'put', 'delete'])}("/${entity}s/{item_id}/${g.word()}${r}")`,
      `async def ${entity}_${r}(item_id: str):`,
      `    log.info("handling %s", item_id)`,
      `    rows = await fetch_rows("${entity}s", item_id, limit=${g.int(1, 100)})`,
      `    if not rows:`,
      `        raise HTTPException(status_code=404, detail="not found")`,
      `    return {"id": item_id, "total": sum(r["amount"] * ${g.int(1, 9)} for r in rows)}`,
      '',
    );
  }
  for (let h = 0; h < g.int(3, 12); h++) {
    parts.push(`def compute_${entity}_${h}(values, factor=${g.int(1, 50)}):`, `    """Computes the ${g.word()} for a batch."""`, '    acc = 0', '    for v in values:', `        if v > ${g.int(10, 1000)}:`, '            acc += v * factor', '        else:', `            acc -= v // ${g.int(2, 9)}`, '    return acc', '');
  }
  return parts.join('\n') + '\n';
}

function markdown(g: Gen, svc: string, i: number): string {
  const parts = [`# ${svc}: ${g.word()} notes ${i}`, ''];
  for (let s = 0; s < g.int(3, 8); s++) {
    parts.push(`## ${g.word()} ${g.word()}`, '', `The ${g.word()} service keeps ${g.word()} records for ${g.int(1, 90)} days and reconciles them with the ${g.word()} ledger every ${g.int(1, 24)} hours.`, '', '```yaml', `${g.word()}:`, `  enabled: ${g.chance(0.5)}`, `  retries: ${g.int(0, 5)}`, '```', '');
  }
  return parts.join('\n');
}

function json(g: Gen, i: number): string {
  const o: Record<string, unknown> = { name: `config-${i}`, version: `${g.int(1, 5)}.${g.int(0, 9)}.0`, features: {} };
  for (let k = 0; k < g.int(5, 40); k++) (o.features as Record<string, unknown>)[`${g.word()}${k}`] = { enabled: g.chance(0.5), weight: g.int(1, 100), tags: [g.word(), g.word()] };
  return JSON.stringify(o, null, 2) + '\n';
}

function dockerfile(g: Gen, kind: 'node' | 'python', good: boolean): string {
  if (kind === 'node') {
    return `FROM node:${good ? '20.11-alpine' : g.pick(['latest', '20', '20-alpine'])} AS build\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n\nFROM node:20.11-alpine\nWORKDIR /app\nCOPY --from=build /app/dist ./dist\n${good ? 'USER node\n' : ''}HEALTHCHECK CMD wget -qO- http://localhost:8080/healthz || exit 1\nCMD ["node", "dist/server.js"]\n`;
  }
  return `FROM python:${good ? '3.12-slim' : 'latest'}\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n${good ? 'USER 1000\n' : ''}CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]\n`;
}

function compose(g: Gen, svc: string): string {
  return `services:\n  ${svc}:\n    build: .\n    ports:\n      - "${g.int(3000, 9000)}:8080"\n    environment:\n      LOG_LEVEL: debug\n      DATABASE_URL: postgres://app:${g.chance(0.5) ? 'bench-pw' : '${DB_PASSWORD}'}@db:5432/app\n    depends_on: [db]\n  db:\n    image: postgres:16\n    ports:\n      - "${g.chance(0.5) ? '127.0.0.1:' : ''}5432:5432"\n`;
}

export function generateFiles(spec: WorkspaceSpec = DEFAULT_SPEC): Map<string, string> {
  const g = new Gen(20260101);
  g.add('.gitignore', 'node_modules/\ndist/\n*.log\ntmp/\n.env\n');
  g.add('README.md', '# Bench monorepo\n\nSynthetic workspace for the Readiness benchmark.\n');
  g.add('.github/workflows/ci.yml', 'name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci && npm test\n');
  g.add('charts/shop/Chart.yaml', 'apiVersion: v2\nname: shop\nversion: 0.1.0\n');
  g.add('charts/shop/values.yaml', 'replicaCount: 2\nimage:\n  repository: registry.example.com/shop\n  tag: "1.2.3"\n');
  for (const t of ['deployment', 'service', 'ingress', 'hpa', '_helpers']) g.add(`charts/shop/templates/${t}.${t.startsWith('_') ? 'tpl' : 'yaml'}`, `{{- include "shop.${t}" . }}\n`);
  for (let i = 0; i < 20; i++) g.add(`tmp/scratch-${i}.yaml`, 'ignored: true\n');
  for (let i = 0; i < 10; i++) g.add(`logs/run-${i}.log`, 'ignored log\n');

  for (let s = 0; s < spec.services; s++) {
    const kind = s % 2 === 0 ? 'node' : 'python';
    const svc = `${g.word()}-${kind === 'node' ? 'api' : 'worker'}-${s}`;
    const good = g.chance(0.4);
    const base = `services/${svc}`;
    g.add(`${base}/k8s/deployment.yaml`, deployment(g, svc, good));
    g.add(`${base}/k8s/service.yaml`, service(svc));
    if (g.chance(0.6)) g.add(`${base}/k8s/ingress.yaml`, ingress(g, svc, good));
    if (g.chance(0.3)) g.add(`${base}/k8s/cronjob.yaml`, cronjob(g, svc, good));
    if (g.chance(0.3)) g.add(`${base}/k8s/all-in-one.yaml`, [deployment(g, `${svc}-b`, good), service(`${svc}-b`)].join('---\n'));
    g.add(`${base}/Dockerfile`, dockerfile(g, kind, good));
    if (g.chance(0.5)) g.add(`${base}/docker-compose.yml`, compose(g, svc));
    g.add(`${base}/README.md`, markdown(g, svc, 0));
    for (let i = 1; i <= 6; i++) g.add(`${base}/docs/${g.word()}-${i}.md`, markdown(g, svc, i));
    for (let i = 0; i < 8; i++) g.add(`${base}/config/${g.word()}-${i}.json`, json(g, i));
    if (kind === 'node') {
      g.add(`${base}/package.json`, JSON.stringify({ name: svc, version: '1.0.0', scripts: { start: 'node dist/server.js' }, dependencies: { express: '^4.19.0', pino: '^9.0.0' } }, null, 2) + '\n');
      g.add(`${base}/src/server.ts`, `import express from 'express';\nconst app = express();\napp.listen(Number(process.env.PORT ?? 8080));\n`);
      for (let i = 0; i < 40; i++) g.add(`${base}/src/${g.word()}/${g.word()}-${i}.ts`, tsSource(g, svc, i));
      for (let i = 0; i < 5; i++) g.add(`${base}/dist/chunk-${i}.js`, `"use strict";var x=${i};\n`);
    } else {
      g.add(`${base}/pyproject.toml`, `[project]\nname = "${svc}"\nversion = "1.0.0"\ndependencies = ["fastapi", "uvicorn"]\n`);
      g.add(`${base}/app/main.py`, 'from fastapi import FastAPI\napp = FastAPI()\n');
      for (let i = 0; i < 40; i++) g.add(`${base}/app/${g.word()}/${g.word()}_${i}.py`, pySource(g, svc, i));
      for (let i = 0; i < 5; i++) g.add(`${base}/app/__pycache__/m${i}.cpython-312.pyc`, 'not source\n');
    }
    if (s % 10 === 0) g.add(`${base}/.env`, 'DB_PASSWORD=bench-local-only\n');
  }

  for (let p = 0; p < spec.nodeModulesPackages; p++) {
    const pkg = `node_modules/${g.word()}-lib-${p}`;
    g.add(`${pkg}/package.json`, JSON.stringify({ name: `${g.word()}-lib-${p}`, version: '1.0.0', main: 'index.js' }) + '\n');
    g.add(`${pkg}/README.md`, markdown(g, `lib-${p}`, 0));
    g.add(`${pkg}/index.js`, `module.exports = require('./lib/core-0');\n`);
    for (let i = 0; i < 16; i++) g.add(`${pkg}/lib/core-${i}.js`, tsSource(g, `lib-${p}`, i));
    g.add(`${pkg}/deploy/example.yaml`, deployment(g, `lib-${p}`, false));
  }
  for (let i = 0; i < spec.distFiles; i++) g.add(`dist/bundle-${i}.js`, tsSource(g, 'dist', i));
  return g.files;
}

/** Writes the workspace unless the stamp says this generator version already wrote it. */
export function ensureWorkspace(dir: string, spec: WorkspaceSpec = DEFAULT_SPEC): { generated: boolean; files: number; bytes: number } {
  const stamp = path.join(dir, '.bench-stamp');
  const want = JSON.stringify({ GENERATOR_VERSION, spec });
  const files = generateFiles(spec);
  let bytes = 0;
  for (const text of files.values()) bytes += Buffer.byteLength(text);
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === want) return { generated: false, files: files.size, bytes };
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [rel, text] of files) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
  fs.writeFileSync(stamp, want);
  return { generated: true, files: files.size, bytes };
}
