// Per-file HTTP route facts for TS/JS (parse/routes-ts.ts): imports/exports for linking,
// app/router creations, routes, mounts, hooks, NestJS and Next.js facts, with exact spans.
import * as assert from 'node:assert/strict';
import { extractFacts } from '../server/src/engine/extract';
import { mayHoldRoutes, routeFactsTs, type RouteFactsTs, type TsArg } from '../server/src/engine/parse/routes-ts';
import type { Span } from '../server/src/engine/types';

function facts(path: string, text: string): RouteFactsTs {
  const f = extractFacts(path, text);
  assert.deepEqual(f.errors, []);
  assert.ok(f.routesTs, `no route facts for ${path}`);
  return f.routesTs;
}

const at = (text: string) => (s: Span | undefined) => (s ? text.slice(s.start, s.end) : '<none>');
const names = (args: TsArg[]) => args.map((a) => `${a.kind}:${a.text}`);
function table(f: RouteFactsTs): string[] {
  return f.routes.map((r) => `${r.receiver} ${r.method.toUpperCase()} ${r.path ?? '<dynamic>'} [${names(r.args).join(', ')}]${r.hooks ? ' hooks=' + Object.entries(r.hooks).map(([k, v]) => `${k}:${names(v).join('+')}`).join(';') : ''}`);
}

describe('route facts (TS/JS)', () => {
  describe('Express across files', () => {
    const APP = [
      "import express from 'express';",
      "import helmet from 'helmet';",
      "import usersRouter from './routes/users';",
      "import { adminRouter } from './routes/admin';",
      "import { requireAuth } from './middleware/auth';",
      '',
      'const app = express();',
      'app.use(helmet());',
      "app.get('/health', (_req, res) => res.send('ok'));",
      "app.use('/api/users', requireAuth, usersRouter);",
      "app.use('/admin', adminRouter);",
      'app.listen(3000);',
      '',
    ].join('\n');
    const USERS = [
      "const express = require('express');",
      "const passport = require('passport');",
      'const router = express.Router();',
      '',
      "router.get('/public', listPublic);",
      "router.use(passport.authenticate('jwt', { session: false }));",
      "router.get('/:id', getUser);",
      "router.route('/:id/avatar').get(getAvatar).put(upload.single('file'), putAvatar);",
      '',
      'module.exports = router;',
      '',
    ].join('\n');
    const ADMIN = [
      "import { Router } from 'express';",
      "import { expressjwt } from 'express-jwt';",
      '',
      'export const adminRouter = Router();',
      "adminRouter.post('/reports', expressjwt({ secret: process.env.JWT_SECRET!, algorithms: ['HS256'], credentialsRequired: false }), createReport);",
      "adminRouter.delete(`/reports/${id}`, deleteReport);",
      '',
    ].join('\n');

    it('app: imports, the app, routes and mounts in source order', () => {
      const f = facts('src/app.ts', APP);
      assert.deepEqual(
        f.imports.map((i) => [i.module, i.kind, i.default ?? '', i.named.map((n) => `${n.imported}>${n.local}`).join(',')]),
        [
          ['express', 'import', 'express', ''],
          ['helmet', 'import', 'helmet', ''],
          ['./routes/users', 'import', 'usersRouter', ''],
          ['./routes/admin', 'import', '', 'adminRouter>adminRouter'],
          ['./middleware/auth', 'import', '', 'requireAuth>requireAuth'],
        ],
      );
      assert.deepEqual(f.apps.map((a) => [a.name, a.framework, a.callee, at(APP)(a.span)]), [['app', 'express', 'express', 'express()']]);
      assert.deepEqual(table(f), ['app GET /health [function:]']);
      assert.deepEqual(
        f.uses.map((u) => [u.receiver, u.path ?? '', names(u.args)]),
        [
          ['app', '', ['call:helmet']],
          ['app', '/api/users', ['identifier:requireAuth', 'identifier:usersRouter']],
          ['app', '/admin', ['identifier:adminRouter']],
        ],
      );
      const r = f.routes[0];
      assert.equal(at(APP)(r.span), "app.get('/health', (_req, res) => res.send('ok'))");
      assert.equal(at(APP)(r.methodSpan), 'get');
      assert.equal(at(APP)(r.pathSpan), "'/health'");
      assert.deepEqual(r.span, { start: APP.indexOf("app.get('/health'"), end: APP.indexOf("app.get('/health'") + "app.get('/health', (_req, res) => res.send('ok'))".length });
      assert.deepEqual(r.args[0].calls, ['res.send']);
    });

    it('router file: require, express.Router(), middleware between routes, route() chains, module.exports', () => {
      const f = facts('src/routes/users.js', USERS);
      assert.deepEqual(
        f.imports.map((i) => [i.module, i.kind, i.default]),
        [
          ['express', 'require', 'express'],
          ['passport', 'require', 'passport'],
        ],
      );
      assert.deepEqual(f.apps.map((a) => [a.name, a.framework, a.callee]), [['router', 'express-router', 'express.Router']]);
      assert.deepEqual(table(f), [
        'router GET /public [identifier:listPublic]',
        'router GET /:id [identifier:getUser]',
        'router GET /:id/avatar [identifier:getAvatar]',
        "router PUT /:id/avatar [call:upload.single, identifier:putAvatar]",
      ]);
      assert.deepEqual(f.routes.map((r) => r.via), ['call', 'call', 'chain', 'chain']);
      // The mount sits between the first two routes: ordering is by position.
      const use = f.uses[0];
      assert.ok(use.span.start > f.routes[0].span.end && use.span.end < f.routes[1].span.start);
      assert.deepEqual(use.args, [
        {
          kind: 'call',
          text: 'passport.authenticate',
          span: { start: USERS.indexOf('passport.authenticate('), end: USERS.indexOf('passport.authenticate(') + "passport.authenticate('jwt', { session: false })".length },
          args: [
            { kind: 'string', text: 'jwt', span: { start: USERS.indexOf("'jwt'"), end: USERS.indexOf("'jwt'") + 5 } },
            {
              kind: 'object',
              text: '',
              span: { start: USERS.indexOf('{ session'), end: USERS.indexOf('{ session') + '{ session: false }'.length },
              options: { session: false },
              props: { session: { kind: 'literal', text: 'false', value: false, span: { start: USERS.indexOf('false'), end: USERS.indexOf('false') + 5 } } },
            },
          ],
          options: { session: false },
        },
      ]);
      assert.equal(at(USERS)(f.routes[3].span), "router.route('/:id/avatar').get(getAvatar).put(upload.single('file'), putAvatar)");
      assert.equal(at(USERS)(f.routes[3].pathSpan), "'/:id/avatar'");
      assert.deepEqual(f.exports, [{ name: 'default', local: 'router', kind: 'commonjs', span: { start: USERS.indexOf('module.exports'), end: USERS.indexOf('module.exports') + 'module.exports = router'.length } }]);
    });

    it('named router export, optional express-jwt options, template paths with substitutions are dynamic', () => {
      const f = facts('src/routes/admin.ts', ADMIN);
      assert.deepEqual(f.exports.map((e) => [e.name, e.local, e.kind]), [['adminRouter', 'adminRouter', 'declaration']]);
      assert.deepEqual(f.apps.map((a) => [a.name, a.framework]), [['adminRouter', 'express-router']]);
      assert.deepEqual(table(f), ['adminRouter POST /reports [call:expressjwt, identifier:createReport]', 'adminRouter DELETE <dynamic> [identifier:deleteReport]']);
      assert.deepEqual(f.routes[0].args[0].options, { credentialsRequired: false });
      assert.equal(f.routes[1].dynamic, true);
    });
  });

  describe('Fastify', () => {
    const SERVER = [
      "import Fastify from 'fastify';",
      "import fastifyJwt from '@fastify/jwt';",
      "import userRoutes from './users';",
      '',
      'const app = Fastify({ logger: true });',
      "app.register(fastifyJwt, { secret: 'x' });",
      "app.decorate('authenticate', async (request, reply) => { try { await request.jwtVerify(); } catch (err) { reply.code(401).send(err); } });",
      "app.register(userRoutes, { prefix: '/users' });",
      "app.get('/health', async () => ({ ok: true }));",
      '',
    ].join('\n');
    const USERS = [
      "import type { FastifyInstance } from 'fastify';",
      '',
      'export default async function userRoutes(fastify: FastifyInstance) {',
      "  fastify.addHook('onRequest', fastify.authenticate);",
      "  fastify.get('/', { preHandler: [fastify.authenticate, checkRole('admin')] }, listUsers);",
      "  fastify.route({ method: ['GET', 'HEAD'], url: '/:id', onRequest: verify, handler: getUser });",
      "  fastify.post('/', { schema: { body: userSchema } }, createUser);",
      '}',
      '',
    ].join('\n');

    it('server: app with options, plugin registers with prefixes', () => {
      const f = facts('src/server.ts', SERVER);
      assert.deepEqual(f.apps.map((a) => [a.name, a.framework, a.options]), [['app', 'fastify', { logger: true }]]);
      assert.deepEqual(
        f.registers.map((r) => [r.receiver, `${r.plugin.kind}:${r.plugin.text}`, r.prefix ?? '']),
        [
          ['app', 'identifier:fastifyJwt', ''],
          ['app', 'identifier:userRoutes', '/users'],
        ],
      );
      assert.deepEqual(table(f), ['app GET /health [function:]']);
    });

    it('plugin: hooks, route options hooks, route({...}) per method, the plugin parameter', () => {
      const f = facts('src/users.ts', USERS);
      assert.deepEqual(f.imports[0].typeOnly, true);
      assert.deepEqual(f.exports.map((e) => [e.name, e.local, e.kind]), [['default', 'userRoutes', 'default']]);
      assert.deepEqual(f.hooks.map((h) => [h.receiver, h.hook, names(h.args), h.inFunction?.name, h.inFunction?.param]), [['fastify', 'onRequest', ['member:fastify.authenticate'], 'userRoutes', 0]]);
      assert.deepEqual(table(f), [
        "fastify GET / [object:, identifier:listUsers] hooks=preHandler:member:fastify.authenticate+call:checkRole",
        'fastify GET /:id [object:] hooks=onRequest:identifier:verify',
        'fastify HEAD /:id [object:] hooks=onRequest:identifier:verify',
        'fastify POST / [object:, identifier:createUser]',
      ]);
      assert.deepEqual(f.routes.map((r) => r.via), ['call', 'fastify-route', 'fastify-route', 'call']);
      assert.ok(f.routes.every((r) => r.inFunction?.name === 'userRoutes' && r.inFunction.param === 0));
      assert.equal(at(USERS)(f.routes[1].span), "fastify.route({ method: ['GET', 'HEAD'], url: '/:id', onRequest: verify, handler: getUser })");
    });
  });

  describe('NestJS', () => {
    const CTRL = [
      "import { Controller, Get, Post, Delete, UseGuards, Param } from '@nestjs/common';",
      "import { AuthGuard } from '@nestjs/passport';",
      "import { Public } from '../auth/public.decorator';",
      '',
      "@Controller('cats')",
      "@UseGuards(AuthGuard('jwt'))",
      'export class CatsController {',
      '  @Public()',
      '  @Get()',
      '  findAll() { return []; }',
      '',
      "  @Get(':id')",
      "  findOne(@Param('id') id: string) { return id; }",
      '',
      '  @Post()',
      '  @UseGuards(RolesGuard)',
      '  create() {}',
      '',
      "  @Delete(':id')",
      '  remove() {}',
      '}',
      '',
    ].join('\n');
    const MAIN = [
      "import { NestFactory } from '@nestjs/core';",
      "import { APP_GUARD } from '@nestjs/core';",
      '',
      '@Module({ providers: [{ provide: APP_GUARD, useClass: JwtAuthGuard }] })',
      'export class AppModule implements NestModule {',
      '  configure(consumer: MiddlewareConsumer) {',
      "    consumer.apply(LoggerMiddleware, AuthMiddleware).exclude({ path: 'health', method: RequestMethod.GET }).forRoutes('*');",
      '  }',
      '}',
      '',
      'async function bootstrap() {',
      '  const app = await NestFactory.create(AppModule);',
      "  app.setGlobalPrefix('api');",
      '  app.useGlobalGuards(new ThrottlerGuard());',
      '  await app.listen(3000);',
      '}',
      '',
    ].join('\n');
    const GUARD = [
      "import { Injectable, CanActivate, UnauthorizedException } from '@nestjs/common';",
      "import { AuthGuard } from '@nestjs/passport';",
      '@Injectable()',
      "export class JwtAuthGuard extends AuthGuard('jwt') {}",
      '@Injectable()',
      'export class ApiKeyGuard implements CanActivate {',
      '  canActivate(ctx) {',
      "    if (!ctx.switchToHttp().getRequest().headers['x-api-key']) throw new UnauthorizedException();",
      '    return true;',
      '  }',
      '}',
      '',
    ].join('\n');

    it('controller: prefix, class and method guards, custom decorators, the HTTP decorator span', () => {
      const f = facts('src/cats/cats.controller.ts', CTRL);
      const nest = f.nest;
      assert.ok(nest);
      assert.equal(nest.controllers.length, 1);
      const c = nest.controllers[0];
      assert.equal(c.name, 'CatsController');
      assert.equal(c.prefix, 'cats');
      assert.equal(at(CTRL)(c.span), "@Controller('cats')");
      assert.deepEqual(names(c.guards), ['call:AuthGuard']);
      assert.deepEqual(c.decorators.map((d) => d.name), ['Controller', 'UseGuards']);
      assert.deepEqual(
        c.methods.map((m) => [m.name, m.method, m.path ?? '', names(m.guards), m.decorators.map((d) => d.name)]),
        [
          ['findAll', 'get', '', [], ['Public', 'Get']],
          ['findOne', 'get', ':id', [], ['Get']],
          ['create', 'post', '', ['identifier:RolesGuard'], ['Post', 'UseGuards']],
          ['remove', 'delete', ':id', [], ['Delete']],
        ],
      );
      assert.equal(at(CTRL)(c.methods[1].span), "@Get(':id')");
      assert.deepEqual(f.routes, []);
    });

    it('module and bootstrap: APP_GUARD, middleware consumer, global prefix and guards', () => {
      const f = facts('src/main.ts', MAIN);
      const nest = f.nest;
      assert.ok(nest);
      assert.deepEqual(nest.appGuards.map((g) => `${g.provider.kind}:${g.provider.text}`), ['identifier:JwtAuthGuard']);
      assert.deepEqual(nest.globalPrefixes.map((g) => [g.receiver, g.prefix]), [['app', 'api']]);
      assert.deepEqual(nest.globalGuards.map((g) => [g.receiver, names(g.args)]), [['app', ['new:ThrottlerGuard']]]);
      assert.equal(nest.middleware.length, 1);
      const m = nest.middleware[0];
      assert.deepEqual(names(m.apply), ['identifier:LoggerMiddleware', 'identifier:AuthMiddleware']);
      assert.deepEqual(m.exclude.map((e) => [e.kind, e.options]), [['object', { path: 'health' }]]);
      assert.deepEqual(m.exclude[0].props?.method, { kind: 'member', text: 'RequestMethod.GET', span: { start: MAIN.indexOf('RequestMethod.GET'), end: MAIN.indexOf('RequestMethod.GET') + 17 } });
      assert.deepEqual(names(m.forRoutes), ['string:*']);
    });

    it('guards: classes with extends/implements and what canActivate does', () => {
      const f = facts('src/auth/guards.ts', GUARD);
      assert.deepEqual(
        f.classes.map((c) => [c.name, c.extends ?? '', c.implements, c.decorators, c.methods]),
        [
          ['JwtAuthGuard', "AuthGuard('jwt')", [], ['Injectable'], []],
          ['ApiKeyGuard', '', ['CanActivate'], ['Injectable'], ['canActivate']],
        ],
      );
      assert.deepEqual(
        f.functions.map((fn) => [fn.name, fn.params, fn.throws]),
        [['canActivate', ['ctx'], ['UnauthorizedException']]],
      );
      assert.deepEqual(f.functions[0].calls, ['ctx.switchToHttp().getRequest', 'ctx.switchToHttp', 'UnauthorizedException']);
    });
  });

  describe('Hono and Koa', () => {
    it('Hono: basePath, wildcard jwt middleware, sub-app mount via route()', () => {
      const SRC = [
        "import { Hono } from 'hono';",
        "import { jwt } from 'hono/jwt';",
        "import { books } from './books';",
        '',
        "const app = new Hono().basePath('/v1');",
        "app.use('/api/*', jwt({ secret: 'it-is-very-secret' }));",
        "app.get('/api/page', (c) => c.json({ ok: true }));",
        "app.route('/books', books);",
        "app.on(['PUT', 'DELETE'], '/api/post', bearerAuth({ token }), handler);",
        'export default app;',
        '',
      ].join('\n');
      const f = facts('src/index.ts', SRC);
      assert.deepEqual(f.apps.map((a) => [a.name, a.framework, a.callee, a.basePath, at(SRC)(a.span)]), [['app', 'hono', 'Hono', '/v1', 'new Hono()']]);
      assert.deepEqual(
        f.uses.map((u) => [u.receiver, u.via, u.path, names(u.args)]),
        [
          ['app', 'use', '/api/*', ['call:jwt']],
          ['app', 'route', '/books', ['identifier:books']],
        ],
      );
      assert.deepEqual(f.uses[0].args[0].options, { secret: 'it-is-very-secret' });
      assert.deepEqual(table(f), ['app GET /api/page [function:]', 'app PUT /api/post [call:bearerAuth, identifier:handler]', 'app DELETE /api/post [call:bearerAuth, identifier:handler]']);
      assert.deepEqual(f.exports.map((e) => [e.name, e.local, e.kind]), [['default', 'app', 'default']]);
    });

    it('Koa: koa-router with prefix, router middleware, mount of routes()', () => {
      const SRC = [
        "const Koa = require('koa');",
        "const Router = require('@koa/router');",
        "const jwt = require('koa-jwt');",
        'const app = new Koa();',
        "const router = new Router({ prefix: '/api' });",
        "router.get('/status', status);",
        "router.use(jwt({ secret: 'shared', passthrough: true }));",
        "router.del('/items/:id', removeItem);",
        'app.use(router.routes()).use(router.allowedMethods());',
        '',
      ].join('\n');
      const f = facts('server.js', SRC);
      assert.deepEqual(f.apps.map((a) => [a.name, a.framework, a.options]), [
        ['app', 'koa', undefined],
        ['router', 'koa-router', { prefix: '/api' }],
      ]);
      assert.deepEqual(table(f), ['router GET /status [identifier:status]', 'router DELETE /items/:id [identifier:removeItem]']);
      assert.deepEqual(
        f.uses.map((u) => [u.receiver, names(u.args)]),
        [
          ['router', ['call:jwt']],
          ['app', ['call:router.routes']],
          ['app', ['call:router.allowedMethods']],
        ],
      );
      assert.deepEqual(f.uses[0].args[0].options, { secret: 'shared', passthrough: true });
    });
  });

  describe('Next.js', () => {
    it('app router route handlers: path from the file, exported methods', () => {
      const SRC = [
        "import { NextResponse } from 'next/server';",
        'export async function GET(req: Request) { return NextResponse.json([]); }',
        'export const POST = async (req: Request) => NextResponse.json({}, { status: 201 });',
        'export const dynamic = "force-dynamic";',
        '',
      ].join('\n');
      const f = facts('src/app/(shop)/api/orders/[id]/route.ts', SRC);
      assert.ok(f.next);
      assert.equal(f.next.kind, 'app-route');
      assert.equal(f.next.route, '/api/orders/[id]');
      assert.deepEqual(f.next.methods.map((m) => [m.name, at(SRC)(m.span).slice(0, 21)]), [
        ['GET', 'export async function'],
        ['POST', 'POST = async (req: Re'],
      ]);
    });

    it('pages/api default export and middleware matchers', () => {
      const API = "export default function handler(req, res) { res.status(200).json({ name: 'x' }); }\n";
      const f = facts('pages/api/users/index.js', API);
      assert.deepEqual(f.next && { kind: f.next.kind, route: f.next.route, d: at(API)(f.next.defaultExport).slice(0, 23) }, { kind: 'pages-api', route: '/api/users', d: 'export default function' });
      const WRAPPED = "import { withApiAuthRequired } from '@auth0/nextjs-auth0';\nexport default withApiAuthRequired(async function handler(req, res) { res.json({}); });\n";
      const w = facts('pages/api/me.ts', WRAPPED);
      assert.deepEqual(w.next?.route, '/api/me');
      assert.deepEqual(w.exports.map((e) => [e.name, e.local, e.value?.kind, e.value?.text, e.value?.args?.map((a) => `${a.kind}:${a.text}`)]), [['default', undefined, 'call', 'withApiAuthRequired', ['function:handler']]]);
      const MW = [
        "import { NextResponse } from 'next/server';",
        'export function middleware(req) { return NextResponse.next(); }',
        "export const config = { matcher: ['/dashboard/:path*', '/api/((?!health).*)'] };",
        '',
      ].join('\n');
      const m = facts('src/middleware.ts', MW);
      assert.deepEqual(m.next && { kind: m.next.kind, matcher: m.next.matcher, span: at(MW)(m.next.matcherSpan) }, {
        kind: 'middleware',
        matcher: ['/dashboard/:path*', '/api/((?!health).*)'],
        span: "['/dashboard/:path*', '/api/((?!health).*)']",
      });
    });
  });

  describe('reused middleware and inline plugins', () => {
    it('values bound to middleware calls; an inline Fastify plugin links to its register by span', () => {
      const SRC = [
        "import { expressjwt } from 'express-jwt';",
        "import fastify from 'fastify';",
        "export const optionalAuth = expressjwt({ secret: 's', credentialsRequired: false });",
        'const guards = [optionalAuth, audit];',
        'const server = fastify();',
        'server.register(async (api) => {',
        "  api.addHook('preHandler', server.auth([server.verifyJWT]));",
        "  api.get('/me', me);",
        "}, { prefix: '/v2' });",
        '',
      ].join('\n');
      const f = facts('src/server.ts', SRC);
      assert.deepEqual(
        f.values.map((v) => [v.name, v.value.kind, v.value.text, v.value.options]),
        [
          ['optionalAuth', 'call', 'expressjwt', { secret: 's', credentialsRequired: false }],
          ['guards', 'array', '', undefined],
          ['server', 'call', 'fastify', undefined],
        ],
      );
      assert.deepEqual(names(f.values[1].value.args ?? []), ['identifier:optionalAuth', 'identifier:audit']);
      assert.equal(f.registers.length, 1);
      const reg = f.registers[0];
      assert.equal(reg.prefix, '/v2');
      assert.equal(reg.plugin.kind, 'function');
      assert.deepEqual(f.routes[0].inFunction, { name: '', param: 0, span: reg.plugin.span });
      assert.deepEqual(f.hooks[0].inFunction, { name: '', param: 0, span: reg.plugin.span });
      assert.deepEqual(names(f.hooks[0].args), ['call:server.auth']);
    });
  });

  describe('pre-filter, scale and bad input', () => {
    it('ordinary TS files are never parsed', () => {
      const plain = 'export function add(a: number, b: number) { const m = new Map(); return m.get(a) ?? b; }\n';
      assert.equal(mayHoldRoutes('src/math.ts', plain), false);
      assert.equal(extractFacts('src/math.ts', plain).routesTs, undefined);
      assert.equal(mayHoldRoutes('src/ast.ts', 'export function visit(e: ts.Expression) { return regularExpression(e); }'), false);
      assert.equal(mayHoldRoutes('src/types.ts', "import type { Express } from 'express';"), true);
      assert.equal(mayHoldRoutes('src/routes.ts', "export default (app) => { app.post('/login', login); };"), true);
      assert.equal(mayHoldRoutes('app/api/x/route.ts', 'export {}'), true);
      // Route facts are plain JSON (they are cached on disk).
      const f = facts('a.ts', "import express from 'express';\nconst app = express();\napp.get('/x', h);\n");
      assert.deepEqual(JSON.parse(JSON.stringify(f)), f);
    });

    it('a 1,000-route Express file yields 1,000 routes', () => {
      const lines = ["const express = require('express');", 'const app = express();'];
      for (let i = 0; i < 1000; i++) lines.push(i % 2 ? `app.get('/r${i}', requireAuth, h${i});` : `app.post('/r${i}/:id', (req, res) => res.json({ i: ${i} }));`);
      const f = facts('big.js', lines.join('\n'));
      assert.equal(f.routes.length, 1000);
      assert.equal(f.routes[999].path, '/r999');
      assert.equal(f.routes[0].method, 'post');
    });

    it('malformed TS yields facts or an error entry, never a throw', () => {
      const bad = ["import express from 'express'", 'const app = express(;', "app.get('/a', (req, res => {", "app.post('/b', auth, h", '@Controller(', 'class {', ''].join('\n');
      const f = extractFacts('src/broken.ts', bad);
      assert.ok(f.routesTs || f.errors.length > 0);
      assert.ok(f.routesTs?.routes.some((r) => r.path === '/a' || r.path === '/b'));
      for (const text of ['\u0000\uffff', '`${', '/*', 'app.get(', "<div>{app.get('/x', h)</div>"]) {
        assert.doesNotThrow(() => routeFactsTs('x.tsx', 'express;' + text));
      }
    });
  });
});
