// The Express/Koa/Hono/Fastify route linker (routes/link-ts.ts): effective paths across files,
// guards by library and by behaviour, order, encapsulation, unmounted routers, and the
// protect fix. The sample apps under test/fixtures/apps are compared with their hand-written
// routes.expected.json (precision and recall of the table and of the findings).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../server/src/engine/config';
import { extractFacts } from '../server/src/engine/extract';
import { mayHoldRoutes } from '../server/src/engine/parse/routes-ts-filter';
import { isProtected, type HttpRoute, type RouteTable } from '../server/src/engine/routes/model';
import { configuredPublic, defaultPublicReason } from '../server/src/engine/routes/public';
import { linkTs } from '../server/src/engine/routes/link-ts';
import type { SourceFile } from '../server/src/engine/types';

function sources(files: Record<string, string>): SourceFile[] {
  return Object.entries(files).map(([p, text]) => ({ root: '.', path: p, absPath: `/virtual/${p}`, hash: p, size: text.length, facts: extractFacts(p, text) }));
}

function link(files: Record<string, string>, authGuards: string[] = []): RouteTable {
  return linkTs(sources(files), { authGuards });
}

/** `GET /x [guard, other?]` per route; `?` marks optional guards. */
function rows(t: RouteTable): string[] {
  return t.routes.map((r) => `${r.method} ${r.path} [${r.guards.map((g) => g.name + (g.optional ? '?' : '')).join(', ')}]`);
}

function applyEdits(text: string, route: HttpRoute, file: string): string {
  const edits = (route.protect?.edits ?? []).filter((e) => e.file === file).sort((a, b) => b.span.start - a.span.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

describe('route linker (Express, Koa, Hono, Fastify)', () => {
  it('parses guard modules and barrels that name no framework (the linker needs their facts)', () => {
    assert.equal(mayHoldRoutes('src/auth.js', "module.exports = function auth(req, res, next) { if (!ok(req)) return res.status(401).end(); next(); };"), true);
    assert.equal(mayHoldRoutes('src/errors.ts', 'export class UnauthorizedError extends Error {}'), true);
    assert.equal(mayHoldRoutes('src/routes/index.ts', "export { api } from './api';\nexport * from './users';\n"), true);
    assert.equal(mayHoldRoutes('src/math.ts', 'export const add = (a: number, b: number) => a + b;\n'), false);
  });

  describe('Express', () => {
    it('applies router.use guards only to routes registered after them', () => {
      const t = link({
        'src/app.ts': [
          "import express from 'express';",
          "import { requireAuth } from './auth';",
          'const app = express();',
          "app.get('/open', (req, res) => res.end());",
          'app.use(requireAuth);',
          "app.get('/closed', (req, res) => res.end());",
          '',
        ].join('\n'),
        'src/auth.ts': [
          "import jwt from 'jsonwebtoken';",
          'export function requireAuth(req: any, res: any, next: any) {',
          '  try { req.user = jwt.verify(req.headers.authorization, "k"); } catch { return res.status(401).end(); }',
          '  next();',
          '}',
          '',
        ].join('\n'),
      });
      assert.deepEqual(rows(t), ['GET /open []', 'GET /closed [requireAuth]']);
      assert.equal(t.routes[1]!.guards[0]!.level, 'app');
      assert.match(t.routes[1]!.guards[0]!.why, /401/);
    });

    it('joins nested mount prefixes across ESM, CommonJS and re-exports, with mount guards', () => {
      const t = link({
        'src/index.ts': [
          "import express from 'express';",
          "import { api } from './routes';",
          "import { requireAuth } from './mw';",
          'const app = express();',
          "app.use('/api/', requireAuth, api);",
          '',
        ].join('\n'),
        'src/routes/index.ts': "export { api } from './api';\n",
        'src/routes/api.ts': [
          "import { Router } from 'express';",
          "const orders = require('./orders.js');",
          'export const api = Router();',
          "api.use('/orders', orders);",
          '',
        ].join('\n'),
        'src/routes/orders.js': [
          "const express = require('express');",
          'const router = express.Router();',
          "router.route('/:id').get((req, res) => res.end()).put((req, res) => res.end());",
          'module.exports = router;',
          '',
        ].join('\n'),
        'src/mw.ts': "export function requireAuth(req: any, res: any, next: any) { if (!verifyToken(req.headers.authorization)) return res.sendStatus(401); next(); }\ndeclare function verifyToken(x: unknown): boolean;\n",
      });
      assert.deepEqual(rows(t), ['GET /api/orders/:id [requireAuth]', 'PUT /api/orders/:id [requireAuth]']);
      assert.equal(t.routes[0]!.guards[0]!.level, 'mount');
      assert.equal(t.routes[0]!.file, 'src/routes/orders.js');
      assert.equal(t.routes[0]!.app, 'src/index.ts#app');
    });

    it('follows factories returning routers and functions called with the app', () => {
      const t = link({
        'src/main.js': [
          "const express = require('express');",
          "const makeRouter = require('./router');",
          'const app = express();',
          "app.use('/v2', makeRouter({}));",
          "require('./register')(app);",
          '',
        ].join('\n'),
        'src/router.js': [
          "const { Router } = require('express');",
          'module.exports = (deps) => {',
          '  const r = Router();',
          "  r.get('/things', (req, res) => res.end());",
          '  return r;',
          '};',
          '',
        ].join('\n'),
        'src/register.js': "module.exports = function register(app) {\n  app.post('/items', (req, res) => res.end());\n};\n",
      });
      assert.deepEqual(rows(t), ['GET /v2/things []', 'POST /items []']);
    });

    it('recognises known auth libraries, optional modes, and never counts helmet/cors/rate limits/body parsers', () => {
      const t = link({
        'src/app.ts': [
          "import express from 'express';",
          "import helmet from 'helmet';",
          "import cors from 'cors';",
          "import rateLimit from 'express-rate-limit';",
          "import passport from 'passport';",
          "import { expressjwt } from 'express-jwt';",
          "import { auth, requiresAuth } from 'express-openid-connect';",
          "import basicAuth from 'express-basic-auth';",
          "import { requireAuth as clerkAuth } from '@clerk/express';",
          "import Keycloak from 'keycloak-connect';",
          'const keycloak = new Keycloak({});',
          'const app = express();',
          "app.use(auth({ authRequired: false }));",
          "app.get('/a', helmet(), cors(), rateLimit({ max: 5 }), express.json(), (req, res) => res.end());",
          "app.get('/b', passport.authenticate('jwt', { session: false }), (req, res) => res.end());",
          "app.get('/c', passport.authenticate('anonymous'), (req, res) => res.end());",
          "app.get('/d', expressjwt({ secret: 's', algorithms: ['HS256'] }), (req, res) => res.end());",
          "app.get('/e', expressjwt({ secret: 's', algorithms: ['HS256'], credentialsRequired: false }), (req, res) => res.end());",
          "app.get('/f', requiresAuth(), (req, res) => res.end());",
          "app.get('/g', basicAuth({ users: { a: 'b' } }), (req, res) => res.end());",
          "app.get('/h', clerkAuth(), (req, res) => res.end());",
          "app.get('/i', keycloak.protect('realm:admin'), (req, res) => res.end());",
          '',
        ].join('\n'),
      });
      const byPath = new Map(t.routes.map((r) => [r.path, r]));
      assert.deepEqual(byPath.get('/a')!.guards.map((g) => [g.name, g.optional ?? false, g.level]), [['auth()', true, 'app']]);
      assert.ok(!isProtected(byPath.get('/a')!));
      assert.ok(isProtected(byPath.get('/b')!));
      assert.ok(!isProtected(byPath.get('/c')!));
      assert.ok(isProtected(byPath.get('/d')!));
      assert.ok(!isProtected(byPath.get('/e')!));
      for (const p of ['/f', '/g', '/h', '/i']) assert.ok(isProtected(byPath.get(p)!), p);
    });

    it('recognises a custom guard that passes an Unauthorized error to next()', () => {
      const t = link({
        'src/app.js': "const express = require('express');\nconst { checkSession } = require('./session');\nconst app = express();\napp.get('/x', checkSession, (req, res) => res.end());\n",
        'src/session.js': [
          "const { UnauthorizedError } = require('./errors');",
          'function checkSession(req, res, next) {',
          '  const sid = req.cookies && req.cookies.sid;',
          '  if (!sid || !sessions.verify(sid)) return next(new UnauthorizedError("no session"));',
          '  next();',
          '}',
          'module.exports = { checkSession };',
          '',
        ].join('\n'),
      });
      assert.deepEqual(rows(t), ['GET /x [checkSession]']);
    });

    it('counts names from the authGuards setting, and arrays of middleware', () => {
      const files = {
        'src/app.ts': "import express from 'express';\nimport { gate } from 'internal-gate';\nconst app = express();\napp.get('/x', [gate, express.json()], (req, res) => res.end());\n",
      };
      assert.deepEqual(rows(link(files)), ['GET /x []']);
      const t = link(files, ['gate']);
      assert.deepEqual(rows(t), ['GET /x [gate]']);
      assert.equal(t.routes[0]!.guards[0]!.why, 'authGuards setting');
    });

    it('reports routers never mounted, and leaves their routes out', () => {
      const t = link({
        'src/app.ts': "import express from 'express';\nimport { used } from './r';\nconst app = express();\napp.use('/u', used);\n",
        'src/r.ts': "import { Router } from 'express';\nexport const used = Router();\nexport const spare = Router();\nused.get('/a', (q, s) => s.end());\nspare.get('/b', (q, s) => s.end());\n",
      });
      assert.deepEqual(rows(t), ['GET /u/a []']);
      assert.deepEqual(t.unmounted.map((u) => [u.name, u.file, u.routes]), [['spare', 'src/r.ts', 1]]);
    });

    it('survives import cycles and unresolved modules', () => {
      const t = link({
        'src/a.ts': "import express from 'express';\nimport { b } from './b';\nimport { x } from 'somewhere';\nexport const a = express.Router();\nconst app = express();\napp.use(a);\na.use('/b', b);\na.get('/', x, (q, s) => s.end());\n",
        'src/b.ts': "import { Router } from 'express';\nimport { a } from './a';\nexport const b = Router();\nb.use('/a', a);\nb.get('/leaf', (q, s) => s.end());\n",
      });
      assert.ok(t.routes.some((r) => r.path === '/b/leaf'));
      assert.ok(t.routes.some((r) => r.path === '/'));
    });

    it('mounts sub-apps, ignores compiled .js next to its .ts source, and keeps .js specifiers in the fix import', () => {
      const main = "import express from 'express';\nimport { admin } from './admin.js';\nimport { requireAuth } from './auth.js';\nconst app = express();\napp.get('/me', requireAuth, (q, s) => s.end());\napp.use('/admin', admin);\n";
      const admin = "import express from 'express';\n\nexport const admin = express();\nadmin.get('/stats', (q, s) => s.end());\n";
      const auth = "export function requireAuth(req: any, res: any, next: any) { if (!req.session?.user) return res.status(401).end(); next(); }\n";
      const t = link({
        'src/main.ts': main,
        'src/admin.ts': admin,
        'src/admin.js': "const express = require('express');\nexports.admin = express();\nexports.admin.get('/stats', (q, s) => s.end());\n",
        'src/auth.ts': auth,
      });
      assert.deepEqual(rows(t), ['GET /me [requireAuth]', 'GET /admin/stats []']);
      assert.deepEqual(t.apps.map((a) => a.file), ['src/main.ts']);
      const stats = t.routes[1]!;
      assert.equal(applyEdits(admin, stats, 'src/admin.ts'), "import express from 'express';\nimport { requireAuth } from './auth.js';\n\nexport const admin = express();\nadmin.get('/stats', requireAuth, (q, s) => s.end());\n");
    });

    it('protect inserts the most used guard before the handler and imports it (ESM and CommonJS)', () => {
      const app = [
        "import express from 'express';",
        "import { requireAuth } from './middleware/auth';",
        "import open from './routes/open';",
        'const app = express();',
        "app.get('/me', requireAuth, (req, res) => res.end());",
        "app.get('/you', requireAuth, (req, res) => res.end());",
        "app.use('/open', open);",
        "app.use('/legacy', require('./routes/legacy'));",
        '',
      ].join('\n');
      const open = "import { Router } from 'express';\nimport { z } from 'zod';\n\nconst r = Router();\nr.get('/list', (req, res) => res.end());\nexport default r;\n";
      const legacy = "const express = require('express');\nconst router = express.Router();\nrouter.post('/upload', (req, res) => res.end());\nmodule.exports = router;\n";
      const auth = "export function requireAuth(req: any, res: any, next: any) { if (!req.headers.authorization) return res.status(401).end(); next(); }\n";
      const t = link({ 'src/app.ts': app, 'src/routes/open.ts': open, 'src/routes/legacy.js': legacy, 'src/middleware/auth.ts': auth });
      assert.deepEqual(t.guardsUsed, [{ framework: 'express', name: 'requireAuth', count: 2 }]);
      const list = t.routes.find((r) => r.path === '/open/list')!;
      assert.equal(list.protect?.guard, 'requireAuth');
      assert.equal(
        applyEdits(open, list, 'src/routes/open.ts'),
        "import { Router } from 'express';\nimport { z } from 'zod';\nimport { requireAuth } from '../middleware/auth';\n\nconst r = Router();\nr.get('/list', requireAuth, (req, res) => res.end());\nexport default r;\n",
      );
      const upload = t.routes.find((r) => r.path === '/legacy/upload')!;
      assert.equal(
        applyEdits(legacy, upload, 'src/routes/legacy.js'),
        "const express = require('express');\nconst { requireAuth } = require('../middleware/auth');\nconst router = express.Router();\nrouter.post('/upload', requireAuth, (req, res) => res.end());\nmodule.exports = router;\n",
      );
      assert.equal(t.routes.find((r) => r.path === '/me')!.protect, undefined);
    });
  });

  describe('Fastify', () => {
    const AUTH = [
      "import fp from 'fastify-plugin';",
      'export default fp(async (fastify) => {',
      "  fastify.decorate('authenticate', async (request, reply) => { await request.jwtVerify(); });",
      '});',
      '',
    ].join('\n');

    it('scopes hooks to their plugin and its children, not siblings; fastify-plugin hooks reach the parent', () => {
      const t = link({
        'src/plugins/auth.ts': AUTH,
        'src/app.ts': [
          "import Fastify from 'fastify';",
          "import fp from 'fastify-plugin';",
          "import auth from './plugins/auth';",
          "import { child } from './child';",
          'const app = Fastify();',
          'app.register(auth);',
          "app.register(async (scoped) => {",
          "  scoped.addHook('onRequest', scoped.authenticate);",
          "  scoped.get('/inside', async () => 1);",
          "  scoped.register(child, { prefix: '/kids' });",
          "}, { prefix: '/s' });",
          "app.register(async (sibling) => { sibling.get('/outside', async () => 1); }, { prefix: '/t' });",
          "app.register(async (wrapper) => {",
          "  wrapper.register(fp(async (inner) => { inner.addHook('preHandler', async (request) => { await request.jwtVerify(); }); }));",
          "  wrapper.get('/wrapped', async () => 1);",
          "}, { prefix: '/w' });",
          "app.get('/root', async () => 1);",
          '',
        ].join('\n'),
        'src/child.ts': "import type { FastifyInstance } from 'fastify';\nexport async function child(f: FastifyInstance) {\n  f.get('/:id', async () => 1);\n}\n",
      });
      assert.deepEqual(rows(t).sort(), ['GET /root []', 'GET /s/inside [scoped.authenticate]', 'GET /s/kids/:id [scoped.authenticate]', 'GET /t/outside []', 'GET /w/wrapped [inline function]']);
      assert.deepEqual(t.apps.map((a) => [a.framework, a.name]), [['fastify', 'app']]);
    });

    it('reads route options, fastify.route, @fastify/auth, and answers with onRequest fixes', () => {
      const app = [
        "import Fastify from 'fastify';",
        "import auth from './plugins/auth';",
        'const app = Fastify();',
        'app.register(auth);',
        "app.get('/a', { onRequest: [app.authenticate] }, async () => 1);",
        "app.get('/b', { onRequest: app.authenticate }, async () => 1);",
        "app.route({ method: 'GET', url: '/c', preHandler: app.auth([app.authenticate]), handler: async () => 1 });",
        "app.get('/d', async () => 1);",
        "app.get('/e', { schema: {} }, async () => 1);",
        "app.get('/f', { onRequest: [] }, async () => 1);",
        "app.route({ method: 'POST', url: '/g', handler: async () => 1 });",
        '',
      ].join('\n');
      const t = link({ 'src/plugins/auth.ts': AUTH, 'src/app.ts': app });
      assert.deepEqual(rows(t).slice(0, 3), ['GET /a [app.authenticate]', 'GET /b [app.authenticate]', 'GET /c [app.auth()]']);
      const fixed = (p: string): string => {
        const r = t.routes.find((x) => x.path === p)!;
        const out = applyEdits(app, r, 'src/app.ts');
        return out.split('\n').find((l) => l.includes(`'${p}'`))!;
      };
      assert.equal(fixed('/d'), "app.get('/d', { onRequest: [app.authenticate] }, async () => 1);");
      assert.equal(fixed('/e'), "app.get('/e', { onRequest: [app.authenticate], schema: {} }, async () => 1);");
      assert.equal(fixed('/f'), "app.get('/f', { onRequest: [app.authenticate] }, async () => 1);");
      assert.equal(fixed('/g'), "app.route({ onRequest: [app.authenticate], method: 'POST', url: '/g', handler: async () => 1 });");
    });
  });

  describe('Fastify autoload (fastify-cli layout)', () => {
    it('treats the app plugin as the app and every autoloaded routes module as registered under its directory prefix', () => {
      const t = link({
        'app.js': [
          "const path = require('node:path');",
          "const AutoLoad = require('@fastify/autoload');",
          'module.exports = async function (fastify, opts) {',
          "  fastify.register(AutoLoad, { dir: path.join(__dirname, 'plugins'), options: Object.assign({}, opts) });",
          "  fastify.register(AutoLoad, { dir: path.join(__dirname, 'routes'), options: Object.assign({}, opts) });",
          '};',
          '',
        ].join('\n'),
        'plugins/jwt.js': "const fp = require('fastify-plugin');\nmodule.exports = fp(async function (fastify) {\n  fastify.addHook('onRequest', async (request) => { await request.jwtVerify(); });\n});\n",
        'routes/root.js': "module.exports = async function (fastify) {\n  fastify.get('/', async () => ({ root: true }));\n};\n",
        'routes/orders/index.js': "module.exports = async function (fastify) {\n  fastify.get('/:id', async () => ({}));\n};\n",
      });
      assert.deepEqual(rows(t).sort(), ['GET / [inline function]', 'GET /orders/:id [inline function]']);
      assert.equal(t.apps.length, 1);
      assert.equal(t.apps[0]!.file, 'app.js');
    });
  });

  describe('Koa', () => {
    it('joins router prefixes and nested routers, orders app.use(jwt()) before routers, and reports routers never given to app.use', () => {
      const t = link({
        'src/app.js': [
          "const Koa = require('koa');",
          "const jwt = require('koa-jwt');",
          "const Router = require('@koa/router');",
          "const { inner } = require('./inner');",
          'const app = new Koa();',
          "const open = new Router({ prefix: '/open' });",
          "open.get('/a', (ctx) => {});",
          'const api = new Router();',
          "api.prefix('/api');",
          "api.use('/v1', inner.routes(), inner.allowedMethods());",
          'const lost = new Router();',
          "lost.get('/lost', (ctx) => {});",
          'app.use(open.routes());',
          "app.use(jwt({ secret: 's', passthrough: true }));",
          "app.use(jwt({ secret: 's' }));",
          'app.use(api.routes());',
          '',
        ].join('\n'),
        'src/inner.js': "const Router = require('koa-router');\nconst inner = new Router();\ninner.get('/b', (ctx) => {});\ninner.get('thing', '/things/:id', (ctx) => {});\nmodule.exports = { inner };\n",
      });
      assert.deepEqual(rows(t), ['GET /open/a []', 'GET /api/v1/b [jwt()?, jwt()]', 'GET /api/v1/things/:id [jwt()?, jwt()]']);
      assert.deepEqual(t.unmounted.map((u) => u.name), ['lost']);
    });

    it('inserts the guard before the handler in a koa-router route', () => {
      const text = "import Router from '@koa/router';\nimport Koa from 'koa';\nimport { requireUser } from './guard';\nconst app = new Koa();\nconst r = new Router();\nr.get('/x', requireUser, (ctx) => {});\nr.get('/y', (ctx) => {});\napp.use(r.routes());\n";
      const guard = "export async function requireUser(ctx: any, next: any) { if (!ctx.state.user) ctx.throw(401); await next(); }\n";
      const t = link({ 'src/app.ts': text, 'src/guard.ts': guard });
      const y = t.routes.find((r) => r.path === '/y')!;
      assert.equal(applyEdits(text, y, 'src/app.ts').split('\n')[6], "r.get('/y', requireUser, (ctx) => {});");
    });
  });

  describe('Hono', () => {
    it('scopes app.use by path pattern, joins basePath and app.route prefixes', () => {
      const t = link({
        'src/index.ts': [
          "import { Hono } from 'hono';",
          "import { jwt } from 'hono/jwt';",
          "import { basicAuth } from 'hono/basic-auth';",
          "import { items } from './items';",
          "const app = new Hono().basePath('/v1');",
          "app.get('/before', (c) => c.text('x'));",
          "app.use('/items/*', jwt({ secret: 's' }));",
          "app.route('/items', items);",
          "app.get('/other', (c) => c.text('x'));",
          "app.get('/admin', basicAuth({ username: 'a', password: 'b' }), (c) => c.text('x'));",
          'export default app;',
          '',
        ].join('\n'),
        'src/items.ts': "import { Hono } from 'hono';\nexport const items = new Hono();\nitems.get('/:id', (c) => c.json({}));\n",
      });
      assert.deepEqual(rows(t), ['GET /v1/before []', 'GET /v1/items/:id [jwt()]', 'GET /v1/other []', 'GET /v1/admin [basicAuth()]']);
      assert.equal(t.routes[1]!.guards[0]!.level, 'app');
    });
  });

  describe('sample apps', () => {
    const appsDir = path.join(__dirname, 'fixtures', 'apps');
    const apps = fs.existsSync(appsDir) ? fs.readdirSync(appsDir).filter((d) => /^(express|fastify|koa|hono)-/.test(d)) : [];
    it('has Express, Fastify and Koa/Hono sample apps', () => {
      assert.ok(apps.some((a) => a.startsWith('express-')));
      assert.ok(apps.some((a) => a.startsWith('fastify-')));
      assert.ok(apps.some((a) => a.startsWith('koa-') || a.startsWith('hono-')));
      // The Express and Fastify apps include one of realistic size each (smaller apps add variety).
      const size = (a: string): number => (JSON.parse(fs.readFileSync(path.join(appsDir, a, 'routes.expected.json'), 'utf8')) as { routes: unknown[] }).routes.length;
      for (const fw of ['express', 'fastify']) assert.ok(apps.some((a) => a.startsWith(`${fw}-`) && size(a) >= 20), `a ${fw} app with at least 20 routes`);
    });
    for (const name of apps) {
      it(`${name}: route table and findings match routes.expected.json (precision and recall ≥ 0.95)`, () => {
        const root = path.join(appsDir, name);
        const { files, texts } = loadApp(root);
        const expected = JSON.parse(fs.readFileSync(path.join(root, 'routes.expected.json'), 'utf8')) as Expected;
        const publicRoutes = loadConfig(root).config.publicRoutes;
        const t = linkTs(files, { authGuards: loadConfig(root).config.authGuards });
        const line = (f: string, o: number): number => texts.get(f)!.slice(0, o).split('\n').length;
        const got = t.routes.filter((r) => r.framework === expected.framework).map((r) => ({ key: `${r.method} ${r.path} ${r.file}:${line(r.file, r.span.start)}`, r }));
        const want = expected.routes.map((e) => ({ key: `${e.method} ${e.path} ${e.file}:${e.line}`, e }));
        const route = pr(new Set(got.map((g) => g.key)), new Set(want.map((w) => w.key)));
        const isPublic = (r: Pick<HttpRoute, 'method' | 'path'>): boolean => !!defaultPublicReason(r.path) || !!configuredPublic(r, publicRoutes);
        const gotFindings = new Set(got.filter((g) => !isProtected(g.r) && !isPublic(g.r)).map((g) => g.key));
        const wantFindings = new Set(want.filter((w) => w.e.expect === 'unprotected' || w.e.expect === 'optional').map((w) => w.key));
        const findings = pr(gotFindings, wantFindings);
        const optionalOk = want.filter((w) => w.e.expect === 'optional').every((w) => {
          const g = got.find((x) => x.key === w.key);
          return g && g.r.guards.length > 0 && g.r.guards.every((x) => x.optional);
        });
        const unmounted = new Set(t.unmounted.map((u) => `${u.file}:${line(u.file, u.span.start)}`));
        console.log(`      ${name}: routes P=${route.p.toFixed(3)} R=${route.r.toFixed(3)} (${got.length}/${want.length}); findings P=${findings.p.toFixed(3)} R=${findings.r.toFixed(3)} (${gotFindings.size}/${wantFindings.size})`);
        const diff = [...route.missing.map((k) => `missing route ${k}`), ...route.extra.map((k) => `extra route ${k}`), ...findings.missing.map((k) => `missing finding ${k}`), ...findings.extra.map((k) => `extra finding ${k}`)];
        assert.ok(route.p >= 0.95 && route.r >= 0.95 && findings.p >= 0.95 && findings.r >= 0.95, diff.join('\n'));
        assert.ok(optionalOk, 'optional routes carry only optional guards');
        assert.deepEqual([...unmounted].sort(), expected.unmounted.map((u) => `${u.file}:${u.line}`).sort());
      });
    }
  });
});

interface Expected {
  framework: string;
  routes: { method: string; path: string; file: string; line: number; expect: 'protected' | 'unprotected' | 'optional' | 'public' }[];
  unmounted: { file: string; line: number }[];
}

function pr(got: Set<string>, want: Set<string>): { p: number; r: number; missing: string[]; extra: string[] } {
  const hit = [...got].filter((k) => want.has(k)).length;
  return {
    p: got.size ? hit / got.size : want.size ? 0 : 1,
    r: want.size ? hit / want.size : 1,
    missing: [...want].filter((k) => !got.has(k)),
    extra: [...got].filter((k) => !want.has(k)),
  };
}

function loadApp(root: string): { files: SourceFile[]; texts: Map<string, string> } {
  const files: SourceFile[] = [];
  const texts = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') walk(p);
      } else if (/\.[cm]?[jt]sx?$/.test(e.name)) {
        const text = fs.readFileSync(p, 'utf8');
        const rel = path.relative(root, p).split(path.sep).join('/');
        texts.set(rel, text);
        files.push({ root, path: rel, absPath: p, hash: rel, size: text.length, facts: extractFacts(rel, text) });
      }
    }
  };
  walk(root);
  return { files, texts };
}
