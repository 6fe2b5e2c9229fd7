// NestJS guards and middleware recognised by what they do: passport's AuthGuard (and classes
// extending it), CanActivate classes and middleware that verify a token/session/key or reject
// with 401 / UnauthorizedException, names from settings.authGuards. Authorization-only guards
// (a RolesGuard reading request.user and throwing ForbiddenException) are not authentication:
// they rely on an earlier guard having authenticated the request.
import type { RouteFactsTs, TsArg, TsClass, TsFunction } from '../parse/routes-ts';
import type { TsIndex } from './nest-resolve';
import type { LinkSettings } from './model';

/** A guard that authenticates: its name as the project writes it, why it counts, and how to import it. */
export interface NestGuard {
  name: string;
  why: string;
  optional?: boolean;
  /** Metadata keys the guard reads through a reflector (an `@Public()` marker with such a key switches it off). */
  reflects: string[];
  /** Where the guard class is declared (for the import a fix adds), or the package it comes from. */
  from?: { file: string } | { module: string };
  /** The name to import (`AuthGuard` for `AuthGuard('jwt')`). */
  importName?: string;
  /** Consumer middleware: protects routes, but cannot go in `@UseGuards`. */
  middleware?: true;
}

/** The last member of a callee text: `this.jwtService.verifyAsync` → `verifyAsync`. */
export function lastPart(callee: string): string {
  const m = /([A-Za-z_$][\w$]*)\s*$/.exec(callee.replace(/\(.*$/s, ''));
  return m ? m[1]! : callee;
}

const VERIFY = /^(?:verify\w*|jwtVerify|validate(?:Token|ApiKey|Key|Session|User|Credentials|Jwt)\w*|getSession|getServerSession|decode(?:Token|Jwt)?|introspect\w*|authenticate|checkApiKey|checkToken)$/i;
const REJECTS = new Set(['UnauthorizedException', 'HttpException.UNAUTHORIZED']);
const AUTH_NAME = /auth|jwt|session|api-?key|bearer|firebase|clerk|cognito|supabase|token/i;
const NOT_AUTH_NAME = /throttl|rate|role|permission|polic|casl|ability|cache|logging|logger/i;

/** What a set of functions does, by its calls, statuses and thrown classes. */
export function behaviourAuth(fns: readonly TsFunction[]): string | undefined {
  const verifies = fns.some((f) => f.calls.some((c) => VERIFY.test(lastPart(c))));
  const rejects = fns.some((f) => f.statuses.includes(401) || f.throws.some((t) => REJECTS.has(t)));
  if (verifies && rejects) return 'verifies credentials and answers 401';
  if (verifies) return 'verifies a token or session';
  if (rejects) return 'rejects unauthenticated requests with 401';
  return undefined;
}

function within(inner: { start: number; end: number }, outer: { start: number; end: number }): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}

function methodsOf(f: RouteFactsTs, c: TsClass): TsFunction[] {
  return f.functions.filter((fn) => within(fn.span, c.span));
}

function strategiesText(args: readonly TsArg[] | undefined): { text: string; strategies: string[] } {
  const strategies: string[] = [];
  const parts = (args ?? []).map((a) => {
    if (a.kind === 'string') {
      strategies.push(a.text);
      return `'${a.text}'`;
    }
    if (a.kind === 'array') {
      const inner = (a.args ?? []).map((x) => (x.kind === 'string' ? (strategies.push(x.text), `'${x.text}'`) : x.text));
      return `[${inner.join(', ')}]`;
    }
    return a.text;
  });
  return { text: parts.join(', '), strategies };
}

/** A metadata key with constants followed to their string value (`IS_PUBLIC_KEY` → `"isPublic"`), so both spellings meet. */
export function metaKey(idx: TsIndex, file: string, key: string): string {
  if (!/^[A-Za-z_$][\w$]*$/.test(key)) return key;
  const r = idx.resolve(file, key);
  if (r?.kind !== 'local') return key;
  const v = idx.files.get(r.file)?.values.find((x) => x.name === r.name);
  return v?.value.kind === 'string' ? JSON.stringify(v.value.text) : key;
}

export class NestGuards {
  private readonly memo = new Map<string, NestGuard | null>();

  constructor(
    private readonly idx: TsIndex,
    private readonly settings: LinkSettings,
  ) {}

  /** A `@UseGuards(...)`/`useGlobalGuards(...)`/APP_GUARD argument, as written in `file`. */
  guard(file: string, arg: TsArg): NestGuard | undefined {
    if (arg.kind === 'call' && arg.text === 'AuthGuard') return this.passport(arg.args);
    const name = arg.kind === 'identifier' || arg.kind === 'new' || arg.kind === 'member' ? arg.text : arg.kind === 'call' ? arg.text : '';
    if (!name) return undefined;
    if (this.settings.authGuards.includes(name)) return { name, why: 'authGuards setting', reflects: [], ...this.origin(file, name) };
    const r = this.idx.resolve(file, name.split('.')[0]!);
    if (r?.kind === 'local') return this.classGuard(r.file, r.name, 0) ?? undefined;
    if (r?.kind === 'external') {
      if (r.module === '@nestjs/passport' && r.name === 'AuthGuard') return this.passport(arg.args);
      if (AUTH_NAME.test(name) && !NOT_AUTH_NAME.test(name) && !r.module.startsWith('@nestjs/')) {
        return { name, why: `authentication guard from ${r.module}`, reflects: [], from: { module: r.module }, importName: r.name };
      }
    }
    return undefined;
  }

  /** A middleware given to `consumer.apply(...)`: a class with `use`, a function, or `passport.authenticate(...)`. */
  middleware(file: string, arg: TsArg): NestGuard | undefined {
    const g = this.middlewareGuard(file, arg);
    return g ? { ...g, middleware: true } : undefined;
  }

  private middlewareGuard(file: string, arg: TsArg): NestGuard | undefined {
    if (arg.kind === 'call' && /(?:^|\.)authenticate$/.test(arg.text) && /passport/i.test(arg.text)) return { name: arg.text, why: 'passport', reflects: [] };
    if (arg.kind !== 'identifier' && arg.kind !== 'call') return undefined;
    const name = arg.text;
    if (this.settings.authGuards.includes(name)) return { name, why: 'authGuards setting', reflects: [] };
    const r = this.idx.resolve(file, name.split('.')[0]!);
    if (r?.kind !== 'local') return undefined;
    const f = this.idx.files.get(r.file);
    if (!f) return undefined;
    const c = f.classes.find((x) => x.name === r.name);
    const fns = c ? methodsOf(f, c) : f.functions.filter((fn) => fn.name === r.name);
    const why = behaviourAuth(fns);
    return why ? { name, why, reflects: [], from: { file: r.file } } : undefined;
  }

  private origin(file: string, name: string): Pick<NestGuard, 'from'> {
    const r = this.idx.resolve(file, name);
    if (r?.kind === 'local') return { from: { file: r.file } };
    if (r?.kind === 'external') return { from: { module: r.module } };
    return {};
  }

  private passport(args: readonly TsArg[] | undefined): NestGuard {
    const { text, strategies } = strategiesText(args);
    const optional = strategies.includes('anonymous');
    return { name: `AuthGuard(${text})`, why: 'passport AuthGuard', ...(optional ? { optional } : {}), reflects: [], from: { module: '@nestjs/passport' }, importName: 'AuthGuard' };
  }

  /** A guard class, by what it extends and what its methods do (memoised; extends chains bounded). */
  classGuard(file: string, name: string, depth: number): NestGuard | null {
    const key = `${file}#${name}`;
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit;
    this.memo.set(key, null);
    const out = this.classGuardUncached(file, name, depth);
    this.memo.set(key, out);
    return out;
  }

  private classGuardUncached(file: string, name: string, depth: number): NestGuard | null {
    const f = this.idx.files.get(file);
    const c = f?.classes.find((x) => x.name === name);
    if (!f || !c || depth > 5) return this.settings.authGuards.includes(name) ? { name, why: 'authGuards setting', reflects: [], from: { file } } : null;
    const fns = methodsOf(f, c);
    const reflects = (f.nest?.reflectors.filter((r) => r.cls === name).flatMap((r) => r.keys) ?? []).map((k) => metaKey(this.idx, file, k));
    const handle = fns.find((fn) => fn.name === 'handleRequest');
    // handleRequest that never throws lets requests without a user through (optional authentication).
    const lenient = handle !== undefined && handle.throws.length === 0 && !handle.calls.some((x) => x === 'super.handleRequest' || /Exception$|Error$/.test(x));
    const base = { name, reflects, from: { file } };
    if (this.settings.authGuards.includes(name)) return { ...base, why: 'authGuards setting' };
    const ext = c.extends;
    if (ext && /^(?:AuthGuard|PassportAuthGuard)\s*\(/.test(ext)) {
      const strategies = [...ext.matchAll(/['"`]([^'"`]+)['"`]/g)].map((m) => m[1]);
      const optional = lenient || strategies.includes('anonymous');
      return { ...base, why: `passport AuthGuard(${strategies.map((s) => `'${s}'`).join(', ')})`, ...(optional ? { optional: true } : {}) };
    }
    if (ext) {
      const parentName = ext.replace(/[<(].*$/s, '').trim();
      const r = this.idx.resolve(file, parentName);
      const parent = r?.kind === 'local' ? this.classGuard(r.file, r.name, depth + 1) : null;
      if (parent) {
        const optional = handle ? lenient : parent.optional;
        return { ...base, why: parent.why, reflects: [...new Set([...reflects, ...parent.reflects])], ...(optional ? { optional: true } : {}) };
      }
    }
    const isGuard = c.implements.some((i) => /\bCanActivate\b/.test(i)) || c.methods.includes('canActivate') || c.implements.some((i) => /\bNestMiddleware\b/.test(i)) || c.methods.includes('use');
    if (!isGuard) return null;
    const why = behaviourAuth(fns);
    return why ? { ...base, why } : null;
  }
}
