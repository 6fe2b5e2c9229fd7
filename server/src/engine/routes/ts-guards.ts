// Guard recognition for Express, Koa, Hono and Fastify middleware: known authentication
// libraries by the module their callee comes from, and project functions by what they do
// (verify a token/key/session and answer 401/403, or throw an Unauthorized error). CORS,
// helmet, body parsers, rate limiters, loggers and validators never count: they are neither
// known auth libraries nor functions that reject with 401/403.
import type { TsArg, TsFunction } from '../parse/routes-ts';
import type { Modules, Target } from './ts-modules';

export interface GuardInfo {
  /** Source-like text of the guard as applied (`requireAuth`, `passport.authenticate('jwt')`). */
  name: string;
  /** Counting identity when several texts name one guard (`app.authenticate`, `api.authenticate`). */
  key?: string;
  why: string;
  optional?: boolean;
}

const MAX_DEPTH = 8;
const VERIFY = /verify|jwtVerify|decode|validateToken|validateSession|getSession|introspect|checkToken|checkJwt|authenticate|validateApiKey|validateKey|timingSafeEqual|getUser|currentUser/i;
const AUTH_NAME = /auth|token|jwt|session|api_?key|apikey|login|protect|guard|role|permission|admin|scope|signed_?in|user/i;
/** Names that say the guard lets anonymous requests through. */
const OPTIONAL_NAME = /optional|maybe|ifPresent|attach|soft|try(?=[A-Z])/i;
const REJECT_THROW = /Unauthori[sz]ed|Forbidden|Authenticat|AuthError|PermissionDenied/;
// `reply.unauthorized()`, `next(new UnauthorizedError())`, `createError.Unauthorized()`, `new HTTPException(401)` (literal caught as a status).
const REJECT_CALL = /\.(?:unauthorized|forbidden)$|Unauthori[sz]ed|Forbidden/;
const EXTERNAL_AUTH_CALL = /^(?:passport|koaPassport)\.authenticate$|\.jwtVerify$|^jwt\.verify$|^jsonwebtoken\.verify$|^jose\.jwtVerify$|^jwtVerify$|^(?:keycloak|kc)\.protect$/;
/** Calls that reject a request without credentials by themselves. */
const SELF_REJECTING = /^(?:passport|koaPassport)\.authenticate$|^(?:request|req|ctx\.request)\.jwtVerify$|^(?:keycloak|kc)\.protect$/;

/** Renders an argument as code (for guard names and the fix); undefined when it cannot be rendered faithfully. */
export function renderArg(a: TsArg, depth = 0): string | undefined {
  if (depth > 3) return undefined;
  switch (a.kind) {
    case 'identifier':
    case 'member':
      return a.text;
    case 'string':
      return `'${a.text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    case 'literal':
      return a.text;
    case 'call':
    case 'new': {
      const parts = (a.args ?? []).map((x) => renderArg(x, depth + 1));
      if (parts.some((p) => p === undefined)) return undefined;
      return `${a.kind === 'new' ? 'new ' : ''}${a.text}(${parts.join(', ')})`;
    }
    case 'array': {
      const parts = (a.args ?? []).map((x) => renderArg(x, depth + 1));
      return parts.some((p) => p === undefined) ? undefined : `[${parts.join(', ')}]`;
    }
    case 'object': {
      const props = Object.entries(a.props ?? {});
      const parts = props.map(([k, v]) => {
        const r = renderArg(v, depth + 1);
        return r === undefined ? undefined : `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`}: ${r}`;
      });
      return parts.some((p) => p === undefined) ? undefined : parts.length ? `{ ${parts.join(', ')} }` : '{}';
    }
    default:
      return undefined;
  }
}

/** Identifiers an argument's code refers to (call arguments included), for the in-scope check of a fix. */
export function freeNames(a: TsArg, out: Set<string> = new Set(), depth = 0): Set<string> {
  if (depth > 4) return out;
  if (a.kind === 'identifier') out.add(a.text);
  else if (a.kind === 'member' || a.kind === 'call' || a.kind === 'new') {
    const base = /^[A-Za-z_$][\w$]*/.exec(a.text)?.[0];
    if (base && base !== 'this') out.add(base);
  }
  for (const x of a.args ?? []) freeNames(x, out, depth + 1);
  for (const x of Object.values(a.props ?? {})) freeNames(x, out, depth + 1);
  return out;
}

/** A short display name: `passport.authenticate('jwt')` keeps only the leading string argument. */
export function displayName(a: TsArg): string {
  if (a.kind === 'call' || a.kind === 'new') {
    const first = a.args?.[0];
    if (first?.kind === 'array' && first.args?.every((x) => x.kind === 'string')) return `${a.text}([${first.args.map((x) => `'${x.text}'`).join(', ')}])`;
    return first?.kind === 'string' ? `${a.text}('${first.text}')` : `${a.text}()`;
  }
  if (a.kind === 'function') return a.text || 'inline function';
  return a.text || a.kind;
}

function stringsOf(a: TsArg | undefined): string[] {
  if (!a) return [];
  if (a.kind === 'string') return [a.text];
  if (a.kind === 'array') return (a.args ?? []).flatMap(stringsOf);
  return [];
}

export class GuardClassifier {
  /** Fastify `decorate('name', value)` across the project: name → where and what. */
  private readonly decorated = new Map<string, { file: string; value: TsArg }>();
  private readonly memo = new Map<string, GuardInfo | null>();

  constructor(
    private readonly mods: Modules,
    private readonly authGuards: readonly string[],
  ) {
    for (const [file, f] of mods.facts) for (const d of f.decorates) if (!this.decorated.has(d.name)) this.decorated.set(d.name, { file, value: d.value });
  }

  /** The guard an argument applies, when it is authentication. */
  classify(file: string, a: TsArg, depth = 0, hint?: string): GuardInfo | undefined {
    const key = `${file}\u0000${a.span.start}\u0000${a.span.end}\u0000${hint ?? ''}`;
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit ?? undefined;
    this.memo.set(key, null); // cycles read "not a guard"
    const r = this.classifyUncached(file, a, depth, hint);
    this.memo.set(key, r ?? null);
    return r;
  }

  private settingsName(a: TsArg): boolean {
    if (!this.authGuards.length) return false;
    const t = a.text;
    const last = t.slice(t.lastIndexOf('.') + 1);
    return this.authGuards.includes(t) || this.authGuards.includes(last);
  }

  /** An inline function (a hook, or wrapped by `createMiddleware`): what it calls and how it rejects. */
  private inline(a: TsArg, name: string): GuardInfo | undefined {
    const calls = a.calls ?? [];
    if (calls.some((c) => SELF_REJECTING.test(c))) return { name, why: 'verifies the request\u2019s token' };
    const fn: TsFunction = { name: a.text || name, span: a.span, params: [], calls, statuses: a.statuses ?? [], throws: a.throws ?? [] };
    return this.byBehaviour(fn, name);
  }

  private classifyUncached(file: string, a: TsArg, depth: number, hint: string | undefined): GuardInfo | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const name = displayName(a);
    if ((a.kind === 'identifier' || a.kind === 'member' || a.kind === 'call') && this.settingsName(a)) return { name, why: 'authGuards setting' };
    switch (a.kind) {
      case 'array': {
        for (const x of a.args ?? []) {
          const g = this.classify(file, x, depth + 1);
          if (g) return g;
        }
        return undefined;
      }
      case 'identifier':
        return this.fromTarget(this.mods.resolveName(file, a.text), name, depth);
      case 'member': {
        const last = a.text.slice(a.text.lastIndexOf('.') + 1);
        const dec = this.decorated.get(last);
        if (dec && /^(?:this|[A-Za-z_$][\w$]*)\.[A-Za-z_$][\w$]*$/.test(a.text)) {
          const g = this.classify(dec.file, dec.value, depth + 1);
          if (g) return { ...g, name, key: `decorated:${last}`, ...(OPTIONAL_NAME.test(last) ? { optional: true, why: `${g.why}; lets anonymous requests through` } : {}) };
        }
        if (/^(?:basicAuth|bearerAuth)$/.test(last)) return { name, why: `@fastify/${last === 'basicAuth' ? 'basic-auth' : 'bearer-auth'}` };
        return this.fromTarget(this.mods.resolveMember(file, a.text), name, depth);
      }
      case 'call':
      case 'new':
        return this.call(file, a, name, depth);
      case 'function':
        return this.inline(a, hint ?? name);
      default:
        return undefined;
    }
  }

  private fromTarget(t: Target | undefined, name: string, depth: number): GuardInfo | undefined {
    if (!t) return undefined;
    if (t.t === 'value') {
      const g = this.classify(t.file, t.arg, depth + 1, name);
      return g ? { ...g, name } : undefined;
    }
    if (t.t === 'fn') {
      const fn = this.mods.facts.get(t.file)?.functions.find((f) => f.span.start === t.span.start);
      return fn ? this.byBehaviour(fn, name) : undefined;
    }
    return undefined;
  }

  /** A project function: authentication when it verifies credentials and rejects with 401/403 (or an Unauthorized error). */
  byBehaviour(fn: TsFunction, name: string): GuardInfo | undefined {
    const rejects = fn.statuses.length > 0 || fn.throws.some((t) => REJECT_THROW.test(t)) || fn.calls.some((c) => REJECT_CALL.test(c));
    const external = fn.calls.some((c) => EXTERNAL_AUTH_CALL.test(c));
    const verifies = external || fn.calls.some((c) => VERIFY.test(c));
    const authName = AUTH_NAME.test(fn.name) || /^(?:require|ensure|must|only)[A-Z]/.test(fn.name);
    const status = fn.statuses.length ? fn.statuses.join('/') : 'an Unauthorized error';
    if (verifies && OPTIONAL_NAME.test(fn.name)) return { name, why: 'reads credentials when present but lets anonymous requests through', optional: true };
    if (rejects && (verifies || authName)) return { name, why: verifies ? `verifies credentials and answers ${status}` : `rejects with ${status}` };
    if (fn.calls.some((c) => SELF_REJECTING.test(c))) return { name, why: 'runs an authentication library that rejects' };
    if (verifies && authName) return { name, why: 'reads credentials when present but never rejects', optional: true };
    return undefined;
  }

  private call(file: string, a: TsArg, name: string, depth: number): GuardInfo | undefined {
    const callee = a.text;
    const opts = a.options ?? {};
    const m = /^([A-Za-z_$][\w$]*)\.([A-Za-z_$][\w$]*)$/.exec(callee);
    if (m) {
      const [, base, prop] = m as unknown as [string, string, string];
      const bt = this.mods.resolveName(file, base);
      const bmod = bt?.t === 'external' ? bt.module : undefined;
      if (prop === 'authenticate' && (bmod === 'passport' || bmod === 'koa-passport' || /passport/i.test(base))) {
        const strategies = stringsOf(a.args?.[0]);
        const optional = strategies.includes('anonymous');
        return { name, why: 'passport', ...(optional ? { optional } : {}) };
      }
      if (prop === 'protect' && (bmod === 'keycloak-connect' || /keycloak|^kc$/i.test(base) || (bt?.t === 'value' && /Keycloak/.test(bt.arg.text)))) return { name, why: 'keycloak-connect' };
      if (prop === 'auth' && a.args?.[0]?.kind === 'array') {
        const inner = (a.args[0].args ?? []).map((x) => this.classify(file, x, depth + 1));
        if (inner.some((g) => g && !g.optional)) return { name, why: '@fastify/auth' };
        return undefined;
      }
      const t = this.mods.resolveMember(file, callee);
      if (t?.t === 'external') return this.external(t.module, t.imported, name, opts);
      if (t?.t === 'fn') return this.fromTarget(t, name, depth);
      return undefined;
    }
    if (!/^[A-Za-z_$][\w$]*$/.test(callee)) return undefined;
    const t = this.mods.resolveName(file, callee);
    if (t?.t === 'external') {
      const known = this.external(t.module, t.imported, name, opts);
      if (known) return known;
      // A wrapper (`createMiddleware(async (c, next) => …)`, `asyncHandler(fn)`): the function it wraps decides.
      const fnArg = a.args?.find((x) => x.kind === 'function' || x.kind === 'identifier');
      return fnArg ? this.classify(file, fnArg, depth + 1, name) : undefined;
    }
    // A local factory (`requireRole('admin')`): its body holds the middleware it returns.
    if (t?.t === 'fn') return this.fromTarget(t, name, depth);
    return undefined;
  }

  private external(module: string, imported: string, name: string, opts: Record<string, unknown>): GuardInfo | undefined {
    switch (module) {
      case 'express-jwt':
        return { name, why: 'express-jwt', ...(opts.credentialsRequired === false ? { optional: true } : {}) };
      case 'koa-jwt':
        return { name, why: 'koa-jwt', ...(opts.passthrough === true ? { optional: true } : {}) };
      case 'express-openid-connect':
        if (imported === 'requiresAuth') return { name, why: 'express-openid-connect' };
        if (imported === 'auth') return { name, why: 'express-openid-connect', ...(opts.authRequired === false ? { optional: true } : {}) };
        return undefined;
      case 'express-basic-auth':
      case 'koa-basic-auth':
        return { name, why: module };
      case 'hono/jwt':
      case 'hono/jwk':
      case 'hono/bearer-auth':
      case 'hono/basic-auth':
        return imported === 'jwt' || imported === 'jwk' || imported === 'bearerAuth' || imported === 'basicAuth' ? { name, why: module } : undefined;
      case 'express-oauth2-jwt-bearer':
        return imported === 'auth' || imported === 'requiredScopes' ? { name, why: module, ...(opts.authRequired === false ? { optional: true } : {}) } : undefined;
      case 'jwks-rsa':
        return undefined;
    }
    if (module.startsWith('@clerk/')) {
      if (/^(?:requireAuth|ClerkExpressRequireAuth)$/.test(imported)) return { name, why: 'Clerk' };
      if (/^(?:clerkMiddleware|ClerkExpressWithAuth|withAuth)$/.test(imported)) return { name, why: 'Clerk (attaches the session, does not reject)', optional: true };
    }
    return undefined;
  }
}
