// Route extraction and linking at scale: generated Express and Fastify apps with 1,000 routes
// each (50 router/plugin files of 20 routes, mounted from one app file, half of them behind a
// guard), written to a temp dir, then per-file facts extracted and the route table linked.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { extractFacts } from '../server/src/engine/extract';
import { linkTs } from '../server/src/engine/routes/link-ts';
import { isProtected } from '../server/src/engine/routes/model';
import type { SourceFile } from '../server/src/engine/types';

export interface RoutesBenchResult {
  framework: 'express' | 'fastify';
  files: number;
  expectedRoutes: number;
  routesFound: number;
  protectedRoutes: number;
  extractMs: number;
  linkMs: number;
}

const ROUTERS = 50;
const PER_ROUTER = 20;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function expressApp(): Record<string, string> {
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'bench-express', dependencies: { express: '^4.19.2' } }),
    'src/middleware/auth.ts': [
      "import type { NextFunction, Request, Response } from 'express';",
      "import jwt from 'jsonwebtoken';",
      'export function requireAuth(req: Request, res: Response, next: NextFunction) {',
      "  try { (req as any).user = jwt.verify(req.headers.authorization ?? '', 'k'); } catch { return res.status(401).end(); }",
      '  next();',
      '}',
      '',
    ].join('\n'),
  };
  const app = ["import express from 'express';", "import { requireAuth } from './middleware/auth';"];
  const mounts: string[] = [];
  for (let i = 0; i < ROUTERS; i++) {
    app.push(`import r${i} from './routes/r${i}';`);
    mounts.push(i % 2 === 0 ? `app.use('/api/r${i}', requireAuth, r${i});` : `app.use('/api/r${i}', r${i});`);
    const lines = ["import { Router } from 'express';", "import { validate } from '../middleware/validate';", 'const router = Router();'];
    for (let j = 0; j < PER_ROUTER; j++) {
      const m = METHODS[j % METHODS.length]!;
      lines.push(`router.${m}('/items${j}/:id', validate, async (req, res) => {`, `  res.json({ id: req.params.id, n: ${j} });`, '});');
    }
    lines.push('export default router;', '');
    files[`src/routes/r${i}.ts`] = lines.join('\n');
  }
  files['src/middleware/validate.ts'] = "import type { NextFunction, Request, Response } from 'express';\nexport function validate(req: Request, res: Response, next: NextFunction) { if (!req.body) return res.status(400).end(); next(); }\n";
  files['src/app.ts'] = [...app, 'const app = express();', 'app.use(express.json());', ...mounts, 'app.listen(3000);', ''].join('\n');
  return files;
}

function fastifyApp(): Record<string, string> {
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'bench-fastify', dependencies: { fastify: '^4.27.0' } }),
    'src/plugins/auth.ts': "import fp from 'fastify-plugin';\nexport default fp(async (fastify) => {\n  fastify.decorate('authenticate', async (request) => { await request.jwtVerify(); });\n});\n",
  };
  const app = ["import Fastify from 'fastify';", "import auth from './plugins/auth';"];
  const regs: string[] = [];
  for (let i = 0; i < ROUTERS; i++) {
    app.push(`import p${i} from './routes/p${i}';`);
    regs.push(`app.register(p${i}, { prefix: '/api/p${i}' });`);
    const lines = ["import type { FastifyInstance } from 'fastify';", `export default async function p${i}(fastify: FastifyInstance) {`];
    if (i % 2 === 0) lines.push("  fastify.addHook('onRequest', fastify.authenticate);");
    for (let j = 0; j < PER_ROUTER; j++) {
      const m = METHODS[j % METHODS.length]!;
      lines.push(`  fastify.${m}('/items${j}/:id', { schema: {} }, async (request) => ({ n: ${j} }));`);
    }
    lines.push('}', '');
    files[`src/routes/p${i}.ts`] = lines.join('\n');
  }
  files['src/app.ts'] = [...app, 'const app = Fastify();', 'app.register(auth);', ...regs, 'app.listen({ port: 3000 });', ''].join('\n');
  return files;
}

function writeTree(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function measure(framework: RoutesBenchResult['framework'], files: Record<string, string>, repeats: number): RoutesBenchResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `readiness-routes-${framework}-`));
  try {
    writeTree(dir, files);
    const rels = Object.keys(files);
    const texts = rels.map((rel) => fs.readFileSync(path.join(dir, rel), 'utf8'));
    // Extraction: what a cold scan pays per file (ts-morph parse of every route file).
    const extractTimes: number[] = [];
    let sources: SourceFile[] = [];
    for (let k = 0; k < repeats; k++) {
      const start = performance.now();
      sources = rels.map((rel, i) => ({ root: dir, path: rel, absPath: path.join(dir, rel), hash: rel, size: texts[i]!.length, facts: extractFacts(rel, texts[i]!) }));
      extractTimes.push(performance.now() - start);
    }
    const linkTimes: number[] = [];
    let table = linkTs(sources, { authGuards: [] });
    for (let k = 0; k < repeats; k++) {
      const start = performance.now();
      table = linkTs(sources, { authGuards: [] });
      linkTimes.push(performance.now() - start);
    }
    return {
      framework,
      files: rels.length,
      expectedRoutes: ROUTERS * PER_ROUTER,
      routesFound: table.routes.length,
      protectedRoutes: table.routes.filter(isProtected).length,
      extractMs: Math.round(median(extractTimes) * 10) / 10,
      linkMs: Math.round(median(linkTimes) * 10) / 10,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs both generated apps; throws when a route or a guard is lost (the numbers would be meaningless). */
export function routesBench(repeats = 3): RoutesBenchResult[] {
  const out = [measure('express', expressApp(), repeats), measure('fastify', fastifyApp(), repeats)];
  for (const r of out) {
    if (r.routesFound !== r.expectedRoutes) throw new Error(`${r.framework}: linked ${r.routesFound} routes, expected ${r.expectedRoutes}`);
    if (r.protectedRoutes !== r.expectedRoutes / 2) throw new Error(`${r.framework}: ${r.protectedRoutes} protected routes, expected ${r.expectedRoutes / 2}`);
  }
  return out;
}
