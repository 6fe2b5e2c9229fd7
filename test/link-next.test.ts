// The Next.js linker (server/src/engine/routes/link-next.ts): file-system routes, middleware
// matchers and what the middleware does, handler-level session checks, auth wrappers, and the
// protect fix that wraps an export in the project's auth wrapper.
import * as assert from 'node:assert/strict';
import { linkNext } from '../server/src/engine/routes/link-next';
import type { HttpRoute, RouteTable } from '../server/src/engine/routes/model';
import { anyMatches, matcherRegExp } from '../server/src/engine/routes/next-match';
import { accuracy, applyProtect, loadApp, project } from './nest-next-apps';

const NO_SETTINGS = { authGuards: [] as string[] };

function link(files: Record<string, string>, settings = NO_SETTINGS): { table: RouteTable; text: (p: string) => string } {
  const p = project(files);
  return { table: linkNext(p.files, settings), text: p.text };
}

const rows = (t: RouteTable): string[] => t.routes.map((r) => `${r.method} ${r.path} ${r.guards.map((g) => `${g.name}@${g.level}${g.optional ? '?' : ''}`).join(',') || '-'}`);
const find = (t: RouteTable, method: string, path: string): HttpRoute => {
  const r = t.routes.find((x) => x.method === method && x.path === path);
  assert.ok(r, `no ${method} ${path} in ${rows(t).join(' | ')}`);
  return r;
};

const OK = "import { NextResponse } from 'next/server';\nexport async function GET() { return NextResponse.json({}); }\n";

describe('Next.js linker', () => {
  it('routes from files: route groups and @slots dropped, dynamic segments as written, pages/api index files, .js beside .ts ignored', () => {
    const { table } = link({
      'src/app/(shop)/api/carts/[cartId]/items/route.ts': OK + 'export const DELETE = async () => new Response(null);\nexport const revalidate = 0;\n',
      'src/app/@modal/api/docs/[...slug]/route.ts': OK,
      'src/app/api/search/route.ts': OK,
      'src/app/api/search/route.js': OK,
      'pages/api/index.ts': 'export default function handler(req, res) { res.end(); }\n',
      'pages/api/coupons/[code].js': 'module.exports = function handler(req, res) { res.end(); };\n',
      'pages/api/coupons/index.ts': 'const handler = (req, res) => res.end();\nexport default handler;\n',
      'src/app/api/helpers.ts': "import { NextResponse } from 'next/server';\nexport const ok = () => NextResponse.json({});\n",
    });
    assert.deepEqual(table.routes.map((r) => `${r.method} ${r.path} ${r.file}`), [
      'ALL /api/coupons/[code] pages/api/coupons/[code].js',
      'ALL /api/coupons pages/api/coupons/index.ts',
      'ALL /api pages/api/index.ts',
      'GET /api/carts/[cartId]/items src/app/(shop)/api/carts/[cartId]/items/route.ts',
      'DELETE /api/carts/[cartId]/items src/app/(shop)/api/carts/[cartId]/items/route.ts',
      'GET /api/docs/[...slug] src/app/@modal/api/docs/[...slug]/route.ts',
      'GET /api/search src/app/api/search/route.ts',
    ]);
    assert.equal(find(table, 'GET', '/api/search').handler, 'GET');
  });

  it('matchers: path-to-regexp parameters, raw groups with negative lookaheads, unparseable patterns match nothing', () => {
    assert.ok(anyMatches(['/api/:path*'], '/api'));
    assert.ok(anyMatches(['/api/:path*'], '/api/orders/[id]'));
    assert.ok(!anyMatches(['/api/:path*'], '/apiary'));
    assert.ok(!anyMatches(['/api/:path+'], '/api'));
    assert.ok(anyMatches(['/api/:id?'], '/api'));
    assert.ok(anyMatches(['/((?!_next/static|api/public|favicon.ico).*)'], '/api/orders'));
    assert.ok(!anyMatches(['/((?!_next/static|api/public|favicon.ico).*)'], '/api/public/feed'));
    assert.ok(anyMatches(['/dashboard(.*)'], '/dashboard/settings'));
    assert.ok(anyMatches(['/api/v:version(\\d+)/:rest*'], '/api/v2/orders'));
    assert.equal(matcherRegExp('/api/((unclosed'), undefined);
    assert.equal(matcherRegExp('api/no-leading-slash'), undefined);
    assert.ok(!anyMatches(['/api/((unclosed'], '/api/x'));
  });

  const ROUTES = {
    'app/api/orders/route.ts': OK,
    'app/api/public/feed/route.ts': OK,
    'app/api/admin/users/route.ts': OK,
  };

  it('middleware: next-auth withAuth with a matcher array covers only the matched routes', () => {
    const { table } = link({
      ...ROUTES,
      'middleware.ts': "import { withAuth } from 'next-auth/middleware';\nexport default withAuth({ pages: { signIn: '/login' } });\nexport const config = { matcher: ['/api/orders/:path*', '/api/admin/:path*'] };\n",
    });
    assert.deepEqual(rows(table), ['GET /api/admin/users withAuth (middleware)@app', 'GET /api/orders withAuth (middleware)@app', 'GET /api/public/feed -']);
    assert.equal(find(table, 'GET', '/api/orders').guards[0]!.file, 'middleware.ts');
  });

  it('middleware: re-exported next-auth, NextAuth v5 auth, negative lookahead matchers, no matcher = everything', () => {
    const reexport = link({ ...ROUTES, 'src/middleware.ts': "export { default } from 'next-auth/middleware';\nexport const config = { matcher: '/((?!api/public).*)' };\n" }).table;
    assert.deepEqual(rows(reexport), ['GET /api/admin/users next-auth (middleware)@app', 'GET /api/orders next-auth (middleware)@app', 'GET /api/public/feed -']);
    const v5 = link({ ...ROUTES, 'middleware.ts': "export { auth as middleware } from './auth';\n", 'auth.ts': "import NextAuth from 'next-auth';\nexport const { auth, handlers } = NextAuth({ providers: [] });\n" }).table;
    assert.deepEqual(rows(v5), ['GET /api/admin/users auth (middleware)@app', 'GET /api/orders auth (middleware)@app', 'GET /api/public/feed auth (middleware)@app']);
    const member = link({ ...ROUTES, 'middleware.ts': "import NextAuth from 'next-auth';\nimport { authConfig } from './auth.config';\nexport default NextAuth(authConfig).auth;\nexport const config = { matcher: ['/api/admin/:path*'] };\n" }).table;
    assert.deepEqual(rows(member), ['GET /api/admin/users auth (middleware)@app', 'GET /api/orders -', 'GET /api/public/feed -']);
    const dynamic = link({ ...ROUTES, 'middleware.ts': "export { default } from 'next-auth/middleware';\nexport const config = { matcher: buildMatchers() };\n" }).table;
    assert.deepEqual(rows(dynamic), ['GET /api/admin/users -', 'GET /api/orders -', 'GET /api/public/feed -']);
  });

  it('middleware: Clerk clerkMiddleware with auth.protect() and route matchers; without protect() it protects nothing', () => {
    const clerk = (body: string): RouteTable =>
      link({
        ...ROUTES,
        'src/middleware.ts': [
          "import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server';",
          "const isPublicRoute = createRouteMatcher(['/api/public(.*)', '/sign-in(.*)']);",
          "const isAdminRoute = createRouteMatcher(['/api/admin(.*)']);",
          body,
          "export const config = { matcher: ['/((?!_next|.*\\\\..*).*)', '/(api|trpc)(.*)'] };",
          '',
        ].join('\n'),
      }).table;
    assert.deepEqual(rows(clerk('export default clerkMiddleware(async (auth, req) => { if (!isPublicRoute(req)) await auth.protect(); });')), [
      'GET /api/admin/users clerkMiddleware (middleware)@app',
      'GET /api/orders clerkMiddleware (middleware)@app',
      'GET /api/public/feed -',
    ]);
    assert.deepEqual(rows(clerk('export default clerkMiddleware(async (auth, req) => { if (isAdminRoute(req)) await auth.protect(); });')), [
      'GET /api/admin/users clerkMiddleware (middleware)@app',
      'GET /api/orders -',
      'GET /api/public/feed -',
    ]);
    assert.deepEqual(rows(clerk('export default clerkMiddleware();')), ['GET /api/admin/users -', 'GET /api/orders -', 'GET /api/public/feed -']);
    const legacy = link({ ...ROUTES, 'middleware.ts': "import { authMiddleware } from '@clerk/nextjs';\nexport default authMiddleware({ publicRoutes: ['/api/public/(.*)'] });\n" }).table;
    assert.deepEqual(rows(legacy), ['GET /api/admin/users authMiddleware (middleware)@app', 'GET /api/orders authMiddleware (middleware)@app', 'GET /api/public/feed -']);
  });

  it('middleware: a custom one counts when it verifies and rejects or redirects; an i18n redirect does not', () => {
    const custom = link({
      ...ROUTES,
      'middleware.ts': [
        "import { NextResponse, type NextRequest } from 'next/server';",
        "import { jwtVerify } from 'jose';",
        'export async function middleware(req: NextRequest) {',
        "  const token = req.cookies.get('session')?.value;",
        "  try { await jwtVerify(token ?? '', new TextEncoder().encode(process.env.SECRET)); } catch { return NextResponse.json({ error: 'unauthorized' }, { status: 401 }); }",
        '  return NextResponse.next();',
        '}',
        "export const config = { matcher: '/api/admin/:path*' };",
        '',
      ].join('\n'),
    }).table;
    assert.deepEqual(rows(custom), ['GET /api/admin/users middleware (middleware)@app', 'GET /api/orders -', 'GET /api/public/feed -']);
    const redirect = link({
      ...ROUTES,
      'src/middleware.ts': [
        "import { getToken } from 'next-auth/jwt';",
        "import { NextResponse } from 'next/server';",
        'export default async function guard(req) {',
        '  const token = await getToken({ req });',
        "  if (!token) return NextResponse.redirect(new URL('/login', req.url));",
        '  return NextResponse.next();',
        '}',
        "export const config = { matcher: ['/api/orders'] };",
        '',
      ].join('\n'),
    }).table;
    assert.deepEqual(rows(redirect), ['GET /api/admin/users -', 'GET /api/orders guard (middleware)@app', 'GET /api/public/feed -']);
    const i18n = link({
      ...ROUTES,
      'middleware.ts': "import { NextResponse } from 'next/server';\nexport function middleware(req) { if (!req.nextUrl.locale) return NextResponse.redirect(new URL('/en' + req.nextUrl.pathname, req.url)); }\n",
    }).table;
    assert.deepEqual(rows(i18n), ['GET /api/admin/users -', 'GET /api/orders -', 'GET /api/public/feed -']);
  });

  it('middleware applies only to the Next.js project it belongs to', () => {
    const { table } = link({
      'apps/web/app/api/a/route.ts': OK,
      'apps/web/middleware.ts': "export { default } from 'next-auth/middleware';\n",
      'apps/docs/src/app/api/b/route.ts': OK,
    });
    assert.deepEqual(rows(table), ['GET /api/b -', 'GET /api/a next-auth (middleware)@app']);
    assert.deepEqual(table.routes.map((r) => r.file), ['apps/docs/src/app/api/b/route.ts', 'apps/web/app/api/a/route.ts']);
  });

  it('handler checks: session lookup then 401 / throw / redirect protects; a lookup alone is optional; helpers are followed', () => {
    const { table } = link({
      'lib/session.ts': "import { getServerSession } from 'next-auth';\nexport async function requireUser() { const s = await getServerSession(); if (!s) throw new Error('no session'); return s.user; }\n",
      'app/api/a/route.ts': [
        "import { getServerSession } from 'next-auth';",
        "import { auth } from '@clerk/nextjs/server';",
        "import { unauthorized } from 'next/navigation';",
        "import { requireUser } from '../../../lib/session';",
        "export async function GET() { const s = await getServerSession(); if (!s) return new Response('no', { status: 401 }); return Response.json(s); }",
        'export async function POST() { const s = await getServerSession(); return Response.json({ signedIn: !!s }); }',
        'export async function PUT() { const { userId } = await auth(); if (!userId) unauthorized(); return Response.json({}); }',
        'export async function PATCH() { const u = await requireUser(); return Response.json(u); }',
        'export async function DELETE() { return Response.json({}); }',
        '',
      ].join('\n'),
    });
    assert.deepEqual(rows(table), ['GET /api/a getServerSession@route', 'POST /api/a getServerSession@route?', 'PUT /api/a auth@route', 'PATCH /api/a requireUser@route', 'DELETE /api/a -']);
  });

  it('wrappers: a local HOF that checks the session, a library wrapper, nested wrappers; a rate limiter is not auth', () => {
    const { table } = link({
      'lib/guard.ts': [
        "import { getServerSession } from 'next-auth';",
        "import { NextResponse } from 'next/server';",
        'export const withSession = (h) => async (req, ctx) => { const s = await getServerSession(); if (!s) return NextResponse.json({}, { status: 401 }); return h(req, ctx); };',
        'export const withLimit = (h) => async (req) => { if (tooMany(req)) return NextResponse.json({}, { status: 429 }); return h(req); };',
        '',
      ].join('\n'),
      'app/api/w/route.ts': [
        "import { withSession, withLimit } from '../../../lib/guard';",
        'export const GET = withSession(async () => Response.json({}));',
        'export const POST = withLimit(withSession(async () => Response.json({})));',
        'export const PUT = withLimit(async () => Response.json({}));',
        '',
      ].join('\n'),
      'pages/api/me.ts': "import { withApiAuthRequired } from '@auth0/nextjs-auth0';\nexport default withApiAuthRequired(async function me(req, res) { res.json({}); });\n",
    });
    assert.deepEqual(rows(table), ['GET /api/w withSession@route', 'POST /api/w withSession@route', 'PUT /api/w -', 'ALL /api/me withApiAuthRequired@route']);
    assert.equal(find(table, 'ALL', '/api/me').guards[0]!.why, '@auth0/nextjs-auth0 wrapper');
    // A non-auth wrapper around a named handler that checks the session itself.
    const inner = link({
      'pages/api/x.ts': [
        "import { getServerSession } from 'next-auth';",
        "import { withLogging } from '../../lib/log';",
        'async function handler(req, res) { const s = await getServerSession(req, res, {}); if (!s) return res.status(401).end(); res.json({}); }',
        'export default withLogging(handler);',
        '',
      ].join('\n'),
    }).table;
    assert.deepEqual(rows(inner), ['ALL /api/x getServerSession@route']);
    const withSetting = link({ 'app/api/x/route.ts': "import { guarded } from 'house-auth';\nexport const GET = guarded(async () => Response.json({}));\n" }, { authGuards: ['guarded'] }).table;
    assert.deepEqual(rows(withSetting), ['GET /api/x guarded@route']);
  });

  it('bad input: no files, a route file without handlers, a huge or broken matcher, a middleware without exports', () => {
    assert.deepEqual(linkNext([], NO_SETTINGS).routes, []);
    const { table } = link({
      'app/api/empty/route.ts': "import { NextResponse } from 'next/server';\nconst x = 1;\n",
      'app/api/y/route.ts': OK,
      'middleware.ts': `import { NextResponse } from 'next/server';\nexport const config = { matcher: ['/${'('.repeat(600)}', '/api/((?!'] };\n`,
    });
    assert.deepEqual(rows(table), ['GET /api/y -']);
  });

  describe('protect fix', () => {
    const FILES = {
      'src/lib/auth.ts': "import { getServerSession } from 'next-auth';\nexport function withUser(h) { return async (req, ctx) => { if (!(await getServerSession())) return new Response(null, { status: 401 }); return h(req, ctx); }; }\n",
      'src/app/api/a/route.ts': "import { withUser } from '@/lib/auth';\nexport const GET = withUser(async () => Response.json({}));\n",
      'src/app/api/b/route.ts': "import { NextResponse } from 'next/server'\n\nexport async function GET(req: Request) {\n  return NextResponse.json({})\n}\n\nexport const POST = async () => NextResponse.json({})\n",
      'src/pages/api/c.ts': "import type { NextApiRequest, NextApiResponse } from 'next';\n\nexport default async function handler(req: NextApiRequest, res: NextApiResponse) {\n  res.json({});\n}\n",
    };

    it('wraps a function declaration, an expression, and a pages default export; imports the wrapper', () => {
      const { table, text } = link(FILES);
      assert.equal(find(table, 'GET', '/api/b').protect?.guard, 'withUser');
      assert.equal(
        applyProtect(find(table, 'GET', '/api/b'), text).get('src/app/api/b/route.ts'),
        "import { NextResponse } from 'next/server'\nimport { withUser } from '@/lib/auth'\n\nexport const GET = withUser(async function GET(req: Request) {\n  return NextResponse.json({})\n})\n\nexport const POST = async () => NextResponse.json({})\n",
      );
      assert.equal(
        applyProtect(find(table, 'POST', '/api/b'), text).get('src/app/api/b/route.ts'),
        "import { NextResponse } from 'next/server'\nimport { withUser } from '@/lib/auth'\n\nexport async function GET(req: Request) {\n  return NextResponse.json({})\n}\n\nexport const POST = withUser(async () => NextResponse.json({}))\n",
      );
      assert.equal(
        applyProtect(find(table, 'ALL', '/api/c'), text).get('src/pages/api/c.ts'),
        "import type { NextApiRequest, NextApiResponse } from 'next';\nimport { withUser } from '@/lib/auth';\n\nexport default withUser(async function handler(req: NextApiRequest, res: NextApiResponse) {\n  res.json({});\n});\n",
      );
    });

    it('relative imports are recomputed from the fixed file; no wrapper in the project → no fix', () => {
      const files = { ...FILES, 'src/app/api/a/route.ts': "import { withUser } from '../../../lib/auth';\nexport const GET = withUser(async () => Response.json({}));\n" };
      const { table, text } = link(files);
      assert.match(applyProtect(find(table, 'ALL', '/api/c'), text).get('src/pages/api/c.ts') ?? '', /import \{ withUser \} from '\.\.\/\.\.\/lib\/auth';/);
      const none = link({ 'src/app/api/b/route.ts': FILES['src/app/api/b/route.ts'], 'middleware.ts': "export { default } from 'next-auth/middleware';\nexport const config = { matcher: '/admin' };\n" }).table;
      assert.ok(none.routes.every((r) => r.protect === undefined));
    });
  });

  describe('sample app', () => {
    it('next-tasklane: routes and findings match routes.expected.json', () => {
      const app = loadApp('next-tasklane');
      accuracy('next-tasklane', linkNext(app.files, NO_SETTINGS), app.texts, app.publicRoutes);
    });

    it('next-menuboard: Clerk middleware with a public route list and the usual static-file matcher', () => {
      const app = loadApp('next-menuboard');
      const table = linkNext(app.files, NO_SETTINGS);
      accuracy('next-menuboard', table, app.texts, app.publicRoutes);
      // No auth wrapper in the project: no automatic fix.
      assert.equal(find(table, 'POST', '/api/webhooks/clerk').protect, undefined);
    });

    it('next-tasklane: wrapping an unprotected pages handler gives the expected code', () => {
      const app = loadApp('next-tasklane');
      const table = linkNext(app.files, NO_SETTINGS);
      const r = find(table, 'ALL', '/api/feedback');
      assert.equal(r.protect?.guard, 'withApiAuth');
      assert.equal(
        applyProtect(r, (f) => app.texts.get(f) ?? '').get('src/pages/api/feedback/index.ts'),
        [
          "import type { NextApiRequest, NextApiResponse } from 'next';",
          "import { withApiAuth } from '../../../lib/api-auth';",
          '',
          'export default withApiAuth(async function handler(req: NextApiRequest, res: NextApiResponse) {',
          '  const { message } = req.body as { message?: string };',
          '  res.status(202).json({ accepted: Boolean(message) });',
          '});',
          '',
        ].join('\n'),
      );
    });
  });
});
