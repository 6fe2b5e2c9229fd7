// Guard recognition for the Python linker, by what the code does: security schemes, dependency
// chains (FastAPI), decorators and before_request hooks that reject with 401/403 (Flask),
// login decorators, mixins and DRF permission classes (Django). Known auth libraries are
// recognised by their import; project code by its behaviour facts; settings.authGuards by name.
import type { PyBehaviour, PyFunction, PyValue } from '../parse/routes-py';
import type { PyIndex, PySymbol } from './py-modules';

export interface GuardInfo {
  /** The guard's name as defined (function, scheme, decorator, permission class). */
  name: string;
  why: string;
  optional: boolean;
  /** Where it is defined, for the fix's import: a project file, or an external module. */
  file?: string;
  module?: string;
}

const MAX_CHAIN = 6;
const AUTH_EXCEPTION = /Unauthori[sz]ed|Forbidden|NotAuthenticated|AuthenticationFailed|PermissionDenied|InvalidToken|AuthError|AuthenticationError/;
const AUTH_CALL = /(^|\.)(verify_jwt_in_request|verify_token|verify_access_token|decode_token|jwt\.decode|decode|authenticate|check_password|verify_password|verify_api_key|get_jwt_identity)$/;

export function lastPart(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/** The body rejects the request: 401/403 answered, an authentication exception raised. */
export function rejects(b: PyBehaviour | undefined): boolean {
  return !!b && (b.statuses.length > 0 || b.raises.some((r) => AUTH_EXCEPTION.test(r)) || b.calls.some((c) => /(^|\.)(HttpResponseForbidden|redirect_to_login)$/.test(c)));
}

function callsAuth(b: PyBehaviour | undefined): boolean {
  return !!b && b.calls.some((c) => AUTH_CALL.test(c));
}

export function settingsGuard(name: string, authGuards: readonly string[]): boolean {
  return authGuards.includes(name) || authGuards.includes(lastPart(name));
}

export function topFunction(index: PyIndex, file: string, name: string): PyFunction | undefined {
  return index.files.get(file)?.facts.functions.find((f) => f.name === name && !f.class);
}

/** `Depends(x)` / `Security(x)` → x; undefined for anything else. */
export function dependsTarget(v: PyValue | undefined): PyValue | undefined {
  if (v?.k !== 'call') return undefined;
  const fn = lastPart(v.fn);
  if (fn !== 'Depends' && fn !== 'Security') return undefined;
  return v.args[0] ?? v.kwargs.dependency;
}

/** Every `Depends(...)` inside an annotation or a default (Annotated[...] included), with aliases resolved. */
export function dependsIn(index: PyIndex, file: string, v: PyValue | undefined, depth = 0): { dep: PyValue; file: string }[] {
  if (!v || depth > 4) return [];
  if (v.k === 'call') {
    const t = dependsTarget(v);
    return t ? [{ dep: t, file }] : [];
  }
  if (v.k === 'sub') return v.index.flatMap((i) => dependsIn(index, file, i, depth + 1));
  if (v.k === 'name') {
    // `user: CurrentUser` where `CurrentUser = Annotated[User, Depends(get_current_user)]`, possibly imported.
    const sym = index.resolve(file, v.v);
    if (sym?.kind !== 'def' || sym.rest.length > 0) return [];
    const alias = index.files.get(sym.file)?.facts.aliases.find((a) => a.name === sym.name);
    return alias ? dependsIn(index, sym.file, alias.value, depth + 1) : [];
  }
  return [];
}

/** FastAPI: does the dependency `dep` (written in `file`) authenticate? Memoised per definition. */
export class FastApiGuards {
  private readonly memo = new Map<string, GuardInfo | null>();
  constructor(
    private readonly index: PyIndex,
    private readonly authGuards: readonly string[],
  ) {}

  classify(file: string, dep: PyValue, depth = 0): GuardInfo | undefined {
    const name = dep.k === 'name' ? dep.v : dep.k === 'call' ? dep.fn : undefined;
    if (!name) return undefined;
    if (settingsGuard(name, this.authGuards)) return { name: lastPart(name), why: 'authGuards setting', optional: false, file };
    const sym = this.index.resolve(file, name);
    return sym ? this.classifySymbol(sym, depth) : undefined;
  }

  private classifySymbol(sym: PySymbol, depth: number): GuardInfo | undefined {
    if (sym.kind !== 'def' || sym.rest.length > 0) return undefined;
    const key = `${sym.file}#${sym.name}`;
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit ?? undefined;
    if (depth > MAX_CHAIN) return undefined;
    this.memo.set(key, null); // cycles: a dependency that (indirectly) depends on itself is not a guard by that path
    const info = this.decide(sym.file, sym.name, depth);
    this.memo.set(key, info ?? null);
    return info;
  }

  private decide(file: string, name: string, depth: number): GuardInfo | undefined {
    if (settingsGuard(name, this.authGuards)) return { name, why: 'authGuards setting', optional: false, file };
    const facts = this.index.files.get(file)?.facts;
    if (!facts) return undefined;
    const scheme = facts.schemes.find((s) => s.target === name);
    if (scheme) {
      const callee = lastPart(scheme.callee);
      return { name, why: scheme.autoError ? `${callee} security scheme` : `${callee} security scheme with auto_error=False`, optional: !scheme.autoError, file };
    }
    // A callable class instance (`Depends(RoleChecker(["admin"]))`): its __call__.
    const fn = topFunction(this.index, file, name) ?? facts.functions.find((f) => f.class === name && f.name === '__call__');
    if (!fn) return undefined;
    const subs: GuardInfo[] = [];
    for (const p of fn.params) {
      for (const d of [...dependsIn(this.index, file, p.default), ...dependsIn(this.index, file, p.annotation)]) {
        const g = this.classify(d.file, d.dep, depth + 1);
        if (g) subs.push(g);
      }
    }
    const required = subs.find((s) => !s.optional);
    if (required) return { name, why: `depends on ${required.name} (${required.why})`, optional: false, file };
    if (rejects(fn.body)) {
      const what = subs.length > 0 ? `checks ${subs[0]!.name}` : 'verifies credentials';
      return { name, why: `${what} and answers ${fn.body!.statuses.includes(403) && !fn.body!.statuses.includes(401) ? '403' : '401'}`, optional: false, file };
    }
    if (subs.length > 0) return { name, why: `optional: returns without a user when ${subs[0]!.name} finds no credentials`, optional: true, file };
    if (fn.body?.returnsNone && callsAuth(fn.body)) return { name, why: 'reads credentials but returns None without them', optional: true, file };
    return undefined;
  }
}

const DECORATOR_LIBS: readonly { module: RegExp; names: RegExp; why: string }[] = [
  { module: /^flask_login/, names: /^(login_required|fresh_login_required)$/, why: 'Flask-Login' },
  { module: /^flask_jwt_extended/, names: /^(jwt_required|fresh_jwt_required|jwt_optional)$/, why: 'Flask-JWT-Extended' },
  { module: /^flask_security/, names: /^(auth_required|login_required|roles_required|roles_accepted|permissions_required|auth_token_required|http_auth_required)$/, why: 'Flask-Security' },
  { module: /^flask_praetorian/, names: /^(auth_required|roles_required|roles_accepted)$/, why: 'Flask-Praetorian' },
  { module: /^django\.contrib\.auth\.decorators/, names: /^(login_required|permission_required|user_passes_test)$/, why: 'Django auth decorator' },
  { module: /^django\.contrib\.admin\.views\.decorators/, names: /^staff_member_required$/, why: 'Django staff_member_required' },
];

function isTrue(v: PyValue | undefined): boolean {
  return v?.k === 'const' && v.v === 'True';
}

/** Flask and Django view decorators: does the decorator `d` (written in `file`) authenticate? */
export class FlaskGuards {
  private readonly memo = new Map<string, GuardInfo | null>();
  constructor(
    private readonly index: PyIndex,
    private readonly authGuards: readonly string[],
  ) {}

  decorator(file: string, d: PyValue): GuardInfo | undefined {
    const name = d.k === 'name' ? d.v : d.k === 'call' ? d.fn : undefined;
    if (!name) return undefined;
    const optionalArg = d.k === 'call' && isTrue(d.kwargs.optional);
    if (settingsGuard(name, this.authGuards)) return { name, why: 'authGuards setting', optional: false, file };
    const sym = this.index.resolve(file, name);
    if (!sym) return undefined;
    if (sym.kind === 'external') {
      const lib = DECORATOR_LIBS.find((l) => l.module.test(sym.module) && l.names.test(lastPart(sym.name)));
      if (!lib) return undefined;
      const optional = optionalArg || lastPart(sym.name) === 'jwt_optional';
      return { name: lastPart(name), why: optional ? `${lib.why}, optional` : lib.why, optional, module: sym.module };
    }
    if (sym.kind !== 'def') return undefined;
    // `auth.login_required` on a Flask-HTTPAuth object.
    if (sym.rest.length === 1 && sym.rest[0] === 'login_required') {
      const scheme = this.index.files.get(sym.file)?.facts.schemes.find((s) => s.target === sym.name);
      if (scheme && /HTTP(Basic|Token|Digest)Auth|MultiAuth/.test(scheme.callee)) {
        return { name, why: optionalArg ? 'Flask-HTTPAuth, optional' : 'Flask-HTTPAuth', optional: optionalArg, file: sym.file };
      }
      return undefined;
    }
    if (sym.rest.length > 0) return undefined;
    const key = `${sym.file}#${sym.name}`;
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit ? { ...hit } : undefined;
    const info = this.byBehaviour(sym.file, sym.name);
    this.memo.set(key, info ?? null);
    return info;
  }

  /** A project decorator (or decorator factory) whose wrapper verifies credentials and aborts with 401/403. */
  private byBehaviour(file: string, name: string): GuardInfo | undefined {
    const fn = topFunction(this.index, file, name);
    if (!fn) return undefined;
    const facts = this.index.files.get(file)!.facts;
    const inner = facts.functions.filter((f) => f.span.start >= fn.span.start && f.span.end <= fn.span.end);
    const guarding = inner.find((f) => rejects(f.body) || f.body?.calls.some((c) => /verify_jwt_in_request$/.test(c)));
    if (!guarding) return undefined;
    return { name, why: guarding.body?.statuses.length ? `checks credentials and aborts with ${guarding.body.statuses.join('/')}` : 'checks credentials and rejects', optional: false, file };
  }

  /** `app.add_middleware(GateMiddleware)`: a project middleware class whose dispatch/__call__ rejects. */
  middlewareClass(file: string, name: string): GuardInfo | undefined {
    const sym = this.index.resolve(file, name);
    if (sym?.kind !== 'def' || sym.rest.length > 0) return undefined;
    if (settingsGuard(sym.name, this.authGuards)) return { name: sym.name, why: 'authGuards setting', optional: false, file: sym.file };
    const methods = this.index.files.get(sym.file)?.facts.functions.filter((f) => f.class === sym.name && /^(dispatch|__call__)$/.test(f.name)) ?? [];
    if (!methods.some((m) => rejects(m.body))) return undefined;
    return { name: sym.name, why: 'middleware that rejects unauthenticated requests', optional: false, file: sym.file };
  }

  /** A before_request hook handler that rejects unauthenticated requests. */
  hook(file: string, handler: string): GuardInfo | undefined {
    const sym = this.index.resolve(file, handler);
    if (sym?.kind !== 'def' || sym.rest.length > 0) return undefined;
    if (settingsGuard(sym.name, this.authGuards)) return { name: sym.name, why: 'authGuards setting', optional: false, file: sym.file };
    const fn = topFunction(this.index, sym.file, sym.name) ?? this.index.files.get(sym.file)?.facts.functions.find((f) => f.name === sym.name);
    if (!fn || !(rejects(fn.body) || fn.body?.calls.some((c) => /verify_jwt_in_request$/.test(c)))) return undefined;
    return { name: sym.name, why: 'before_request hook that rejects unauthenticated requests', optional: false, file: sym.file };
  }
}
