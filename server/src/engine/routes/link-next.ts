// Next.js: route facts → linked routes with their guards.
//
// Routes are files: `app/**/route.ts` exports GET/POST/… (path from the folders, route groups
// and `@slot` folders dropped, `[id]` kept as written), `pages/api/**` default exports (method
// ALL). A route is protected by
// - the project's `middleware.ts` (beside `app`/`pages` or in `src/`) when its `config.matcher`
//   covers the route (no matcher: every route) and the middleware authenticates: next-auth
//   (`withAuth`, `export { default } from 'next-auth/middleware'`), NextAuth v5 `auth`, Clerk
//   (`clerkMiddleware` calling `auth.protect()`, with createRouteMatcher lists; `authMiddleware`
//   with publicRoutes), or a custom middleware that verifies a token/session and answers 401 or
//   redirects. Path conditions written inside the middleware body are not modelled; matchers
//   that do not compile match nothing.
// - a wrapper around the handler (`export const GET = withAuth(handler)`, `export default
//   withApiAuthRequired(handler)`) that checks the session and rejects;
// - a check in the handler: a session/token lookup (`getServerSession`, `auth()`,
//   `currentUser()`, a helper that verifies) followed by a 401/403, a throw or a redirect.
//   A lookup without any rejection is optional authentication.
import type { RouteFactsTs, TsArg, TsFunction } from '../parse/routes-ts';
import type { SourceFile, Span } from '../types';
import { emptyTable, type GuardRef, type HttpRoute, type LinkSettings, type ProtectEdit, type RouteTable } from './model';
import { importEdits, inScope, type WantedImport } from './nest-fix';
import { lastPart } from './nest-guards';
import { buildIndex, relativeImport, sourcesWithFacts, type TsIndex } from './nest-resolve';
import { anyMatches } from './next-match';

const SESSION = /^(?:getServerSession|getSession|auth|currentUser|getAuth|getToken|getUser|getIronSession|getKindeServerSession|validateRequest|verify\w*|jwtVerify|decode(?:Jwt|Token)?|requireAuth|requireUser|requireSession)$/i;
const REJECT = /^(?:unauthorized|forbidden|redirect|redirectToSignIn|protect)$/;
const AUTH_PACKAGES = /^(?:@auth0\/nextjs-auth0|next-auth|@clerk\/|@kinde-oss\/|@supabase\/|@workos-inc\/)/;

interface Check {
  name: string;
  why: string;
  optional?: boolean;
}

interface Wrapper extends Check {
  /** The wrapper's local name and where it is bound (for the import a fix adds). */
  local: string;
  file: string;
}

interface Middleware {
  file: string;
  root: string;
  name: string;
  why: string;
  span: Span;
  matcher?: string[];
  covers: (route: string) => boolean;
}

function rootOf(path: string, marker: '/app/' | '/pages/api/' | 'middleware'): string {
  const p = '/' + path;
  const i = marker === 'middleware' ? p.lastIndexOf('/') : p.lastIndexOf(marker);
  const root = p.slice(1, Math.max(i, 0));
  return root === 'src' ? '' : root.endsWith('/src') ? root.slice(0, -4) : root;
}

/** Reads a session/token and rejects (protected), or only reads it (optional), judged over a handler and the helpers it calls. */
function behaviour(idx: TsIndex, file: string, fns: readonly TsFunction[], depth = 0): Check | undefined {
  const all: TsFunction[] = [...fns];
  if (depth < 2) {
    for (const fn of fns) {
      for (const c of fn.calls.slice(0, 40)) {
        if (!/^[A-Za-z_$][\w$]*$/.test(c)) continue;
        const r = idx.resolve(file, c);
        const helper = r?.kind === 'local' ? idx.files.get(r.file)?.functions.find((x) => x.name === r.name) : undefined;
        if (helper && !all.includes(helper)) all.push(helper);
      }
    }
  }
  const lookup = all.flatMap((f) => f.calls).find((c) => SESSION.test(lastPart(c)));
  const helperAuth = all.slice(fns.length).some((h) => h.calls.some((c) => SESSION.test(lastPart(c))) && (h.statuses.length || h.throws.length));
  const rejects = all.some((f) => f.statuses.length > 0 || f.throws.length > 0 || f.calls.some((c) => REJECT.test(lastPart(c)) || /(?:^|\.)redirect$/.test(c)));
  if (!lookup && !helperAuth) return undefined;
  const name = lookup ? lastPart(lookup) : 'session check';
  if (rejects || helperAuth) return { name, why: 'checks the session and rejects requests without one' };
  return { name, why: 'reads the session but lets anonymous requests through', optional: true };
}

class NextLinker {
  private readonly wrapMemo = new Map<string, Check | null>();

  constructor(
    private readonly idx: TsIndex,
    private readonly settings: LinkSettings,
  ) {}

  /** A higher-order function around a handler: `withAuth(handler)`, nested wrappers included. */
  wrapper(file: string, v: TsArg, depth = 0): Wrapper | undefined {
    if (v.kind !== 'call' || depth > 3) return undefined;
    const local = v.text.split('.')[0]!;
    const check = this.wrapperCheck(file, v.text);
    if (check) return { ...check, local, file };
    for (const a of v.args ?? []) {
      const inner = this.wrapper(file, a, depth + 1);
      if (inner) return inner;
    }
    return undefined;
  }

  private wrapperCheck(file: string, callee: string): Check | undefined {
    const key = `${file}#${callee}`;
    const hit = this.wrapMemo.get(key);
    if (hit !== undefined) return hit ?? undefined;
    this.wrapMemo.set(key, null);
    const out = this.wrapperCheckUncached(file, callee);
    this.wrapMemo.set(key, out ?? null);
    return out;
  }

  private wrapperCheckUncached(file: string, callee: string): Check | undefined {
    if (this.settings.authGuards.includes(callee)) return { name: callee, why: 'authGuards setting' };
    const r = this.idx.resolve(file, callee.split('.')[0]!);
    if (r?.kind === 'external') {
      if (/^with(?:Api|Page)AuthRequired$/.test(r.name)) return { name: callee, why: `${r.module} wrapper` };
      if (r.name === 'auth' && /next-auth|auth/.test(r.module)) return { name: callee, why: 'NextAuth auth() wrapper attaches the session', optional: true };
      if (AUTH_PACKAGES.test(r.module) && /auth|protect|session|user/i.test(r.name)) return { name: callee, why: `${r.module} wrapper` };
      return undefined;
    }
    if (r?.kind !== 'local') return undefined;
    const fn = this.idx.files.get(r.file)?.functions.find((x) => x.name === r.name);
    if (!fn) return undefined;
    const b = behaviour(this.idx, r.file, [fn]);
    return b && !b.optional ? { name: callee, why: 'wrapper that checks the session and answers 401' } : undefined;
  }

  /** The middleware of a project root, when it authenticates. */
  middleware(file: string, f: RouteFactsTs): Middleware | undefined {
    const next = f.next;
    if (next?.kind !== 'middleware') return undefined;
    const root = rootOf(file, 'middleware');
    const matcher = next.matcher;
    const inMatcher = (route: string): boolean => (matcher ? anyMatches(matcher, route) : !next.matcherDynamic);
    const base = { file, root, ...(matcher ? { matcher } : {}) };
    for (const e of f.exports) {
      if (e.name !== 'default' && e.name !== 'middleware') continue;
      if (e.kind === 'reexport' && e.from) {
        if (/^next-auth\/middleware$/.test(e.from)) return { ...base, name: 'next-auth (middleware)', why: 'next-auth middleware', span: e.span, covers: inMatcher };
        if (e.local === 'auth') return { ...base, name: 'auth (middleware)', why: 'NextAuth auth() middleware', span: e.span, covers: inMatcher };
        continue;
      }
      const value = e.value ?? (e.local ? f.values.find((v) => v.name === e.local)?.value : undefined);
      if (value?.kind === 'call') {
        const m = this.middlewareCall(file, f, value, inMatcher);
        if (m) return { ...base, ...m, name: `${m.name} (middleware)`, span: e.span };
        continue;
      }
      if (e.local === 'auth' || value?.text === 'auth' || (value?.kind === 'member' && /^NextAuth\(.*\)\.auth$/s.test(value.text))) return { ...base, name: 'auth (middleware)', why: 'NextAuth auth() middleware', span: e.span, covers: inMatcher };
      const fn = f.functions.find((x) => x.name === (e.local ?? e.name)) ?? f.functions.find((x) => x.name === 'default' || x.name === 'middleware');
      const b = fn ? behaviour(this.idx, file, [fn]) : undefined;
      if (b && !b.optional) return { ...base, name: `${e.local ?? 'middleware'} (middleware)`, why: 'middleware that verifies a token or session and rejects or redirects', span: e.span, covers: inMatcher };
    }
    return undefined;
  }

  private middlewareCall(file: string, f: RouteFactsTs, v: TsArg, inMatcher: (r: string) => boolean): Omit<Middleware, 'file' | 'root' | 'span' | 'matcher'> | undefined {
    const r = this.idx.resolve(file, v.text.split('.')[0]!);
    const name = v.text;
    const mod = r?.kind === 'external' ? r.module : '';
    const imported = r?.kind === 'external' ? r.name : v.text;
    if (this.settings.authGuards.includes(name)) return { name, why: 'authGuards setting', covers: inMatcher };
    if (mod === 'next-auth/middleware' || (imported === 'withAuth' && /next-auth/.test(mod))) return { name, why: 'next-auth middleware', covers: inMatcher };
    if (imported === 'auth') return { name, why: 'NextAuth auth() middleware', covers: inMatcher };
    if (imported === 'authMiddleware' && /@clerk\//.test(mod)) {
      const opts = v.args?.[0]?.props;
      const open = [...strings(opts?.publicRoutes), ...strings(opts?.ignoredRoutes)];
      return { name, why: 'Clerk authMiddleware', covers: (route) => inMatcher(route) && !anyMatches(open, route) };
    }
    if (imported === 'clerkMiddleware' && /@clerk\//.test(mod)) {
      const cb = v.args?.find((a) => a.kind === 'function');
      const calls = cb?.calls ?? [];
      if (!calls.some((c) => /(?:^|\.)protect$/.test(c) || /redirectToSignIn$/.test(c))) return undefined;
      // Route matchers the callback consults: a "public" list exempts, any other list selects what is protected.
      const used = f.values.filter((x) => x.value.kind === 'call' && /createRouteMatcher$/.test(x.value.text) && calls.includes(x.name));
      const open = used.filter((x) => /public|ignored|open|anonymous/i.test(x.name)).flatMap((x) => strings(x.value.args?.[0]));
      const closed = used.filter((x) => !/public|ignored|open|anonymous/i.test(x.name)).flatMap((x) => strings(x.value.args?.[0]));
      return {
        name: 'clerkMiddleware',
        why: 'Clerk middleware calling auth.protect()',
        covers: (route) => inMatcher(route) && !anyMatches(open, route) && (closed.length === 0 || anyMatches(closed, route)),
      };
    }
    if (r?.kind === 'local') {
      const fn = this.idx.files.get(r.file)?.functions.find((x) => x.name === r.name);
      const b = fn ? behaviour(this.idx, r.file, [fn]) : undefined;
      if (b && !b.optional) return { name, why: 'middleware that verifies a token or session and rejects', covers: inMatcher };
    }
    // A local wrapper around an inline middleware function: judge the function.
    const inline = v.args?.find((a) => a.kind === 'function');
    if (inline?.calls?.some((c) => SESSION.test(lastPart(c))) && inline.calls.some((c) => REJECT.test(lastPart(c)) || /(?:^|\.)redirect$/.test(c))) {
      return { name, why: 'middleware that verifies a token or session and redirects', covers: inMatcher };
    }
    return undefined;
  }
}

function strings(a: TsArg | undefined): string[] {
  if (!a) return [];
  if (a.kind === 'string') return [a.text];
  if (a.kind === 'array') return (a.args ?? []).filter((x) => x.kind === 'string').map((x) => x.text);
  return [];
}

interface RouteMeta {
  facts: RouteFactsTs;
  wrap?: NonNullable<RouteFactsTs['next']>['defaultWrap'];
  exportName: string;
}

export function linkNext(files: readonly SourceFile[], settings: LinkSettings): RouteTable {
  const sources = sourcesWithFacts(files);
  if (!sources.some((s) => s.facts.next && s.facts.next.kind !== 'middleware')) return emptyTable();
  try {
    return link(buildIndex(sources), settings);
  } catch {
    return emptyTable();
  }
}

function link(idx: TsIndex, settings: LinkSettings): RouteTable {
  const table = emptyTable();
  const linker = new NextLinker(idx, settings);
  const middlewares: Middleware[] = [];
  for (const [file, f] of idx.files) {
    const m = f.next?.kind === 'middleware' ? linker.middleware(file, f) : undefined;
    if (m) middlewares.push(m);
  }
  const used = new Map<string, number>();
  const count = (name: string): void => void used.set(name, (used.get(name) ?? 0) + 1);
  for (const m of middlewares) count(m.name);
  // Wrappers by router kind: an app-router wrapper takes (req, ctx), a pages one (req, res).
  const wrappers = new Map<string, { w: Wrapper; count: number; kind: string }>();
  const metas = new Map<HttpRoute, RouteMeta>();

  for (const [file, f] of idx.files) {
    const next = f.next;
    if (!next || next.kind === 'middleware' || !next.route) continue;
    const root = rootOf(file, next.kind === 'app-route' ? '/app/' : '/pages/api/');
    const entries =
      next.kind === 'app-route'
        ? next.methods.map((m) => ({ method: m.name, exportName: m.name, span: m.span, wrap: m.wrap }))
        : next.defaultExport
          ? [{ method: 'ALL', exportName: 'default', span: next.defaultExport, wrap: next.defaultWrap }]
          : [];
    for (const e of entries) {
      const path = next.route;
      const guards: GuardRef[] = [];
      for (const m of middlewares) {
        if (m.root === root && m.covers(path)) guards.push({ name: m.name, level: 'app', why: m.why, file: m.file, span: m.span });
      }
      const exp = f.exports.find((x) => x.name === e.exportName);
      const value = exp?.value ?? (exp?.local ? f.values.find((v) => v.name === exp.local)?.value : undefined);
      const w = value ? linker.wrapper(file, value) : undefined;
      if (w) {
        guards.push({ name: w.name, level: 'route', why: w.why, ...(w.optional ? { optional: true } : {}), file, span: value!.span });
        if (!w.optional) {
          const k = `${next.kind}\u0000${w.name}`;
          const hit = wrappers.get(k);
          if (hit) hit.count++;
          else wrappers.set(k, { w, count: 1, kind: next.kind });
          count(w.name);
        }
      }
      const local = exp?.local ?? e.exportName;
      const fn = f.functions.find((x) => x.name === local) ?? (e.exportName === 'default' ? f.functions.find((x) => x.name === 'default') : undefined);
      const inline = value?.kind === 'call' ? (value.args ?? []).filter((a) => a.kind === 'function') : [];
      // `export default withX(handler)`: the wrapped handler declared in this file is judged too.
      const named = value?.kind === 'call' ? (value.args ?? []).filter((a) => a.kind === 'identifier').map((a) => f.functions.find((x) => x.name === a.text)) : [];
      const wrapped = named.filter((x): x is TsFunction => x !== undefined);
      const fns = fn ? [fn] : wrapped.length ? wrapped : inline.map((a) => ({ name: a.text, span: a.span, params: [], calls: a.calls ?? [], statuses: [], throws: [] }));
      const b = fns.length ? behaviour(idx, file, fns) : undefined;
      if (b && !(b.optional && inline.length && !fn && !wrapped.length)) {
        guards.push({ name: b.name, level: 'route', why: b.why, ...(b.optional ? { optional: true } : {}), file, span: fn?.span ?? e.span });
        if (!b.optional) count(b.name);
      }
      const route: HttpRoute = { framework: 'next', method: e.method, path, file, span: e.span, handler: e.exportName === 'default' ? (exp?.local ?? 'default') : e.exportName, guards };
      table.routes.push(route);
      metas.set(route, { facts: f, exportName: e.exportName, ...(e.wrap ? { wrap: e.wrap } : {}) });
    }
  }

  table.routes.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.span.start - b.span.start));
  table.guardsUsed = [...used.entries()].map(([name, c]) => ({ framework: 'next' as const, name, count: c })).sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
  const ranked = [...wrappers.values()].sort((a, b) => b.count - a.count || (a.w.name < b.w.name ? -1 : 1));
  for (const r of table.routes) {
    if (r.guards.some((g) => !g.optional)) continue;
    const meta = metas.get(r);
    const best = (ranked.find((x) => x.kind === meta?.facts.next?.kind) ?? ranked[0])?.w;
    const fix = meta && best ? wrapFix(idx, r, meta, best) : undefined;
    if (fix) r.protect = fix;
  }
  return table;
}

/** Wraps the route's exported handler in the project's most used auth wrapper, importing it when needed. */
function wrapFix(idx: TsIndex, r: HttpRoute, meta: RouteMeta, w: Wrapper): HttpRoute['protect'] {
  const wrap = meta.wrap;
  if (!wrap) return undefined;
  const name = w.local;
  const edits: ProtectEdit[] = [];
  if (wrap.kind === 'expression') {
    edits.push({ file: r.file, span: { start: wrap.span.start, end: wrap.span.start }, newText: `${name}(` });
    edits.push({ file: r.file, span: { start: wrap.span.end, end: wrap.span.end }, newText: ')' });
  } else {
    const head = meta.exportName === 'default' ? 'export default ' : `export const ${meta.exportName} = `;
    edits.push({ file: r.file, span: { start: wrap.start, end: wrap.fnStart }, newText: `${head}${name}(` });
    edits.push({ file: r.file, span: { start: wrap.end, end: wrap.end }, newText: meta.facts.style?.semi === false ? ')' : ');' });
  }
  if (!inScope(meta.facts, name) && !meta.facts.functions.some((f) => f.name === name)) {
    const b = idx.bindingOf(w.file, name);
    if (!b) return undefined;
    let module = b.imp.module;
    if (module.startsWith('.')) {
      const target = idx.resolveSpecifier(w.file, module);
      if (!target) return undefined;
      module = relativeImport(r.file, target);
    }
    const want: WantedImport = { name, module, ...(b.imported === 'default' ? { isDefault: true } : b.imported !== name ? { imported: b.imported } : {}) };
    edits.push(...importEdits(meta.facts, r.file, [want]));
  }
  return { guard: w.name, edits };
}
