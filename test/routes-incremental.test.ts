// The route table reuses what an edit cannot affect (routes/index.ts, routes/ts-groups.ts): after
// every edit of a sequence (a route file changed, an import added across services, a file deleted,
// a file added that makes an import resolve, the authGuards setting changed) the table must equal
// linking every file at once, order included.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../server/src/engine/config';
import { extractFacts } from '../server/src/engine/extract';
import { scan } from '../server/src/engine/index';
import { cachedTables, routeTable, routeTableUncached, type LinkSettings, type RouteTable } from '../server/src/engine/routes/index';
import { tsGroups } from '../server/src/engine/routes/ts-groups';
import type { SourceFile } from '../server/src/engine/types';

const APPS = path.join(__dirname, 'fixtures', 'apps');

function source(p: string, text: string): SourceFile {
  const hash = createHash('sha256').update(text).digest('hex');
  return { root: '.', path: p, absPath: `/virtual/${p}`, hash, size: text.length, facts: extractFacts(p, text) };
}

/** The file list with `p` set to `text` (added in path order when new) or removed (`undefined`). */
function withFile(files: readonly SourceFile[], p: string, text: string | undefined): SourceFile[] {
  const rest = files.filter((f) => f.path !== p);
  if (text === undefined) return rest;
  const at = files.findIndex((f) => f.path === p);
  const out = [...rest];
  const i = at >= 0 ? at : out.findIndex((f) => f.path > p);
  out.splice(i < 0 ? out.length : i, 0, source(p, text));
  return out;
}

function groupCount(files: readonly SourceFile[]): number {
  const { uf, groupOf } = tsGroups(files);
  const withFacts = files.filter((f) => f.facts.routesTs).map((f) => uf.find(groupOf.get(f.path)!));
  return new Set(withFacts).size;
}

/** The incremental table equals the from-scratch one; returns it. */
function same(files: readonly SourceFile[], settings: LinkSettings, step: string): RouteTable {
  // A fresh array each time: the per-list memo must not answer, the content caches must.
  const incremental = routeTable([...files], settings);
  assert.deepEqual(incremental, routeTableUncached(files, settings), step);
  return incremental;
}

const express = (name: string, extra = ''): Record<string, string> => ({
  [`services/${name}/package.json`]: `{ "name": "${name}" }`,
  [`services/${name}/src/auth.ts`]: [
    "import jwt from 'jsonwebtoken';",
    'export function requireAuth(req, res, next) {',
    "  try { req.user = jwt.verify(req.headers.authorization, 'k'); next(); } catch { return res.status(401).end(); }",
    '}',
  ].join('\n'),
  [`services/${name}/src/routes.ts`]: [
    "import { Router } from 'express';",
    "import { requireAuth } from './auth';",
    'export const router = Router();',
    "router.get('/orders', requireAuth, (req, res) => res.json([]));",
    "router.post('/orders', (req, res) => res.json({}));",
    "router.get('/health', (req, res) => res.send('ok'));",
  ].join('\n'),
  [`services/${name}/src/app.ts`]: ["import express from 'express';", "import { router } from './routes';", extra, 'const app = express();', "app.use('/api', router);", 'app.listen(3000);'].join('\n'),
});

function workspaceFiles(): Record<string, string> {
  return {
    'README.md': '# shop\n',
    ...express('orders-api'),
    ...express('billing-api'),
    ...express('stock-api', "import { extra } from './extra';"),
    // Fastify's decorated guard is looked up root-wide by name.
    'services/catalog-api/package.json': '{ "name": "catalog-api" }',
    'services/catalog-api/src/server.ts': [
      "import Fastify from 'fastify';",
      'const app = Fastify();',
      "app.decorate('authenticate', async (req, reply) => { try { await req.jwtVerify(); } catch { return reply.code(401).send(); } });",
      "app.get('/items', { onRequest: [app.authenticate] }, async () => []);",
      'app.listen({ port: 3000 });',
    ].join('\n'),
    'services/edge-api/package.json': '{ "name": "edge-api" }',
    'services/edge-api/src/index.ts': ["import { Hono } from 'hono';", "import { jwt } from 'hono/jwt';", 'const app = new Hono();', "app.use('/api/*', jwt({ secret: 's' }));", "app.get('/api/me', (c) => c.json({}));", 'export default app;'].join('\n'),
    // Outside any package: the root's own group.
    'tools/admin.ts': ["import express from 'express';", 'const admin = express();', 'function audit(req, res, next) { next(); }', "admin.get('/admin/stats', audit, (req, res) => res.json({}));", 'admin.listen(4000);'].join('\n'),
  };
}

function workspace(): SourceFile[] {
  return Object.entries(workspaceFiles()).map(([p, t]) => source(p, t));
}

/** The generated workspace's original text of a file. */
function workspaceText(p: string): string {
  return workspaceFiles()[p]!;
}

describe('incremental route table', function () {
  this.timeout(120_000);

  it('equals linking everything at once through a sequence of edits in a multi-service workspace', () => {
    const settings: LinkSettings = { authGuards: [] };
    let files = workspace();
    assert.ok(groupCount(files) >= 4, `independent services are linked apart (${groupCount(files)} groups)`);
    const start = same(files, settings, 'initial');
    assert.ok(start.routes.some((r) => r.file === 'services/orders-api/src/routes.ts' && r.path === '/api/orders'));

    // A route file changes (a route added, every later span moved).
    const routesFile = 'services/orders-api/src/routes.ts';
    files = withFile(files, routesFile, `// top\n${workspaceText(routesFile)}\nrouter.delete('/orders/:id', (req, res) => res.end());\n`);
    const changed = same(files, settings, 'route file changed');
    assert.ok(changed.routes.some((r) => r.method === 'DELETE' && r.path === '/api/orders/:id'));

    // An import across services: billing mounts the orders router too.
    const billingApp = workspaceText('services/billing-api/src/app.ts').replace("app.use('/api', router);", "app.use('/api', router);\napp.use('/orders', ordersRouter);");
    files = withFile(files, 'services/billing-api/src/app.ts', `import { router as ordersRouter } from '../../orders-api/src/routes';\n${billingApp}`);
    const crossed = same(files, settings, 'import across services');
    assert.ok(crossed.routes.some((r) => r.file === 'services/orders-api/src/routes.ts' && r.path === '/orders/orders' && r.app?.startsWith('services/billing-api/')));

    // A file deleted: the guard's module is gone, its routes lose the guard.
    files = withFile(files, 'services/billing-api/src/auth.ts', undefined);
    const deleted = same(files, settings, 'file deleted');
    assert.ok(deleted.routes.some((r) => r.file === 'services/billing-api/src/routes.ts' && r.method === 'GET' && r.path === '/api/orders' && r.guards.length === 0));

    // A file added that makes an existing import resolve: its router is mounted.
    files = withFile(files, 'services/stock-api/src/extra.ts', ["import { Router } from 'express';", 'export const extra = Router();', "extra.get('/stock', (req, res) => res.json([]));"].join('\n'));
    files = withFile(files, 'services/stock-api/src/app.ts', `${workspaceText('services/stock-api/src/app.ts')}\napp.use('/x', extra);\n`);
    const added = same(files, settings, 'file added');
    assert.ok(added.routes.some((r) => r.file === 'services/stock-api/src/extra.ts' && r.path === '/x/stock'));

    // A package.json appears: the root's group splits.
    files = withFile(files, 'tools/package.json', '{ "name": "tools" }');
    same(files, settings, 'package added');

    // The authGuards setting changes.
    const guarded = same(files, { authGuards: ['audit'] }, 'authGuards changed');
    assert.ok(guarded.routes.some((r) => r.path === '/admin/stats' && r.guards.some((g) => g.name === 'audit')));
    assert.notDeepEqual(guarded, same(files, settings, 'authGuards back'));
  });

  it('follows imports across services that no guard couples (resolved, or resolving once a file is added)', () => {
    const settings: LinkSettings = { authGuards: [] };
    const bare = (name: string): Record<string, string> => ({
      [`services/${name}/package.json`]: `{ "name": "${name}" }`,
      [`services/${name}/src/routes.ts`]: ["import { Router } from 'express';", 'export const router = Router();', "router.get('/items', (req, res) => res.json([]));"].join('\n'),
      [`services/${name}/src/app.ts`]: ["import express from 'express';", "import { router } from './routes';", 'const app = express();', "app.use('/api', router);", 'app.listen(3000);'].join('\n'),
    });
    let files = Object.entries({ ...bare('alpha-api'), ...bare('beta-api'), ...bare('gamma-api') }).map(([p, t]) => source(p, t));
    assert.equal(groupCount(files), 3);
    same(files, settings, 'initial');
    const app = (extra: string): string => ["import express from 'express';", "import { router } from './routes';", extra, 'const app = express();', "app.use('/api', router);", "app.use('/more', more);", 'app.listen(3000);'].join('\n');

    // beta mounts alpha's router: alpha's routes are reachable from beta's app.
    files = withFile(files, 'services/beta-api/src/app.ts', app("import { router as more } from '../../alpha-api/src/routes';"));
    assert.equal(groupCount(files), 2);
    const crossed = same(files, settings, 'import across services');
    assert.ok(crossed.routes.some((r) => r.file === 'services/alpha-api/src/routes.ts' && r.path === '/more/items' && r.app?.startsWith('services/beta-api/')));

    // gamma imports a module of alpha that does not exist yet, then it is added.
    files = withFile(files, 'services/gamma-api/src/app.ts', app("import { router as more } from '../../alpha-api/src/more';"));
    const missing = same(files, settings, 'import not resolving');
    assert.ok(!missing.routes.some((r) => r.path === '/more/extra'));
    files = withFile(files, 'services/alpha-api/src/more.ts', ["import { Router } from 'express';", 'export const router = Router();', "router.get('/extra', (req, res) => res.json([]));"].join('\n'));
    const resolved = same(files, settings, 'file added that makes the import resolve');
    assert.ok(resolved.routes.some((r) => r.file === 'services/alpha-api/src/more.ts' && r.path === '/more/extra' && r.app?.startsWith('services/gamma-api/')));

    // The imported file is deleted again.
    files = withFile(files, 'services/alpha-api/src/more.ts', undefined);
    same(files, settings, 'imported file deleted');

    // An `@/` alias that only the root's `src/` satisfies.
    files = withFile(files, 'src/shared/routes.ts', ["import { Router } from 'express';", 'export const router = Router();', "router.get('/shared', (req, res) => res.json([]));"].join('\n'));
    files = withFile(files, 'services/gamma-api/src/app.ts', app("import { router as more } from '@/shared/routes';"));
    const aliased = same(files, settings, 'alias resolved at the root');
    assert.ok(aliased.routes.some((r) => r.file === 'src/shared/routes.ts' && r.path === '/more/shared' && r.app?.startsWith('services/gamma-api/')));
  });

  it('keeps the order one linker run gives to unmounted routers of separately linked groups', () => {
    // `register` (pa/z.ts) is created while pa/a.ts is read (it is handed a router nobody mounts), before the nested package's function.
    const files = Object.entries({
      'pa/a.ts': ["import { Router } from 'express';", "import { register } from './z';", 'const r = Router();', 'register(r);'].join('\n'),
      'pa/m/b.ts': ["export function other(app) { app.get('/y', (req, res) => res.end()); }"].join('\n'),
      'pa/m/package.json': '{ "name": "m" }',
      'pa/package.json': '{ "name": "a" }',
      'pa/z.ts': ["export function register(router) { router.get('/x', (req, res) => res.end()); }"].join('\n'),
    }).map(([p, t]) => source(p, t));
    assert.equal(groupCount(files), 2);
    const t = same(files, { authGuards: [] }, 'unmounted order');
    assert.deepEqual(
      t.unmounted.map((u) => `${u.file}#${u.name}`),
      ['pa/z.ts#register', 'pa/m/b.ts#other'],
    );
  });

  it('keeps a bounded number of linked tables however many edits', () => {
    let files = workspace();
    const settings: LinkSettings = { authGuards: [] };
    const sizes: number[] = [];
    for (let i = 0; i < 20; i++) {
      files = withFile(files, 'tools/admin.ts', `${workspaceText('tools/admin.ts')}\n// edit ${i}\n`);
      routeTable(files, settings);
      sizes.push(cachedTables());
    }
    assert.equal(sizes[19], sizes[9], `cache size ${sizes.join(',')}`);
  });

  const apps = fs.existsSync(APPS) ? fs.readdirSync(APPS).sort() : [];
  for (const app of apps) {
    it(`${app}: equals linking everything at once after each edit`, async () => {
      const dir = path.join(APPS, app);
      const outcome = await scan({ roots: [dir], rules: [] });
      const settings: LinkSettings = { authGuards: loadConfig(dir).config.authGuards };
      let files: SourceFile[] = outcome.files;
      const text = (p: string): string => fs.readFileSync(path.join(dir, p), 'utf8');
      const start = same(files, settings, 'initial');
      assert.ok(start.routes.length > 0, 'the app has routes');
      const routeFiles = [...new Set(start.routes.map((r) => r.file))];
      // A route file changes: every span in it moves.
      const first = routeFiles[0]!;
      files = withFile(files, first, `\n${text(first)}`);
      same(files, settings, 'route file changed');
      // A file deleted (another route file, or a file the first imports), then added back: its imports resolve again.
      const other = routeFiles[1] ?? files.find((f) => f.path !== first && (f.facts.routesTs || f.facts.routesPy))?.path;
      if (other) {
        files = withFile(files, other, undefined);
        same(files, settings, `deleted ${other}`);
        files = withFile(files, other, text(other));
        same(files, settings, `added back ${other}`);
      }
      // authGuards names something the app uses: a handler.
      const handler = start.routes.find((r) => r.handler)?.handler;
      same(files, { authGuards: [...settings.authGuards, handler ?? 'requireAuth'] }, 'authGuards changed');
    });
  }
});
