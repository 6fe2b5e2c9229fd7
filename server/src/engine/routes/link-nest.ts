// NestJS: route facts → linked routes with their guards.
//
// A controller's routes are reachable when the controller is listed in a @Module that the root
// module given to NestFactory.create imports (transitively); with no NestFactory.create in the
// root every module counts as reachable. Paths join the global prefix (unless excluded), a
// URI version (enableVersioning), a RouterModule path, the controller prefix and the method path.
// Guards: global (useGlobalGuards, APP_GUARD providers of reachable modules) unless the route or
// its controller carries a metadata decorator (`@Public()`) whose key the guard reads through a
// reflector, consumer middleware (`apply(...).exclude(...).forRoutes(...)`) that authenticates,
// @UseGuards on the controller and the method, guards applied by composed decorators.
import type { NestController, NestMethod, RouteFactsTs, TsArg, TsDecorator } from '../parse/routes-ts';
import type { SourceFile, Span } from '../types';
import { emptyTable, type GuardRef, type HttpRoute, type LinkSettings, type RouteTable } from './model';
import { metaKey, NestGuards, type NestGuard } from './nest-guards';
import { nestProtect, type NestRouteMeta } from './nest-fix';
import { buildIndex, sourcesWithFacts, type TsIndex } from './nest-resolve';

const MAX_MODULES = 5000;

interface App {
  file: string;
  name: string;
  span: Span;
  root?: string;
}

interface Ctrl {
  file: string;
  c: NestController;
}

/** `a`, `/b/`, `c` → `/a/b/c`. */
export function joinPaths(...parts: (string | undefined)[]): string {
  const segs = parts.flatMap((p) => (p ?? '').split('/')).filter((s) => s.length > 0);
  return '/' + segs.join('/');
}

function methodOf(arg: TsArg | undefined): string | undefined {
  if (!arg) return undefined;
  const m = /(?:^|\.)([A-Z]+)$/.exec(arg.text);
  return m && m[1] !== 'ALL' ? m[1] : undefined;
}

/** A Nest route pattern (`users/*`, `(.*)`, `{*splat}`, `users/:id`) as a regular expression over paths. */
export function nestPattern(pattern: string): RegExp {
  const p = joinPaths(pattern);
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const rest = p.slice(i);
    const any = /^(?:\(\.\*\)|\{\*[\w$]*\}|\*[\w$]*)/.exec(rest);
    if (any) {
      re += '.*';
      i += any[0].length - 1;
      continue;
    }
    const param = /^:[\w$]+/.exec(rest);
    if (param) {
      re += '[^/]+';
      i += param[0].length - 1;
      continue;
    }
    re += p[i]!.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  // `/*` also matches the bare prefix (`users/*` covers `/users`).
  return new RegExp(`^${re.replace(/\/\.\*/g, '(?:/.*)?')}/?$`);
}

interface RouteTarget {
  path: string;
  method: string;
  ctrl: string;
}

/** Whether a forRoutes/exclude argument covers a route (controller class, path string or `{ path, method }`). */
function covers(arg: TsArg, r: RouteTarget, ctrlOf: (name: string) => string | undefined): boolean {
  // A controller class covers its routes, a path string or `{ path, method }` the routes it matches.
  if (arg.kind === 'identifier') return ctrlOf(arg.text) === r.ctrl;
  const path = arg.kind === 'string' ? arg.text : arg.kind === 'object' && arg.props?.path?.kind === 'string' ? arg.props.path.text : undefined;
  if (path === undefined) return false;
  const m = arg.kind === 'object' ? methodOf(arg.props?.method) : undefined;
  if (m && r.method !== 'ALL' && m !== r.method) return false;
  return nestPattern(path).test(r.path);
}

export function linkNest(files: readonly SourceFile[], settings: LinkSettings): RouteTable {
  const table = emptyTable();
  const sources = sourcesWithFacts(files).filter((f) => f.facts.nest || f.facts.classes.length);
  if (!sources.some((s) => s.facts.nest?.controllers.length)) return table;
  try {
    return link(buildIndex(sources), settings);
  } catch {
    return table;
  }
}

function link(idx: TsIndex, settings: LinkSettings): RouteTable {
  const table = emptyTable();
  const guards = new NestGuards(idx, settings);
  const modules = new Map<string, { file: string; facts: RouteFactsTs; m: NonNullable<RouteFactsTs['nest']>['modules'][number] }>();
  const controllers = new Map<string, Ctrl>();
  const apps: App[] = [];
  for (const [file, facts] of idx.files) {
    const nest = facts.nest;
    if (!nest) continue;
    for (const m of nest.modules) modules.set(`${file}#${m.name}`, { file, facts, m });
    for (const c of nest.controllers) controllers.set(`${file}#${c.name}`, { file, c });
    for (const b of nest.bootstraps) {
      const r = idx.resolve(file, b.module);
      apps.push({ file, name: b.app, span: b.span, ...(r?.kind === 'local' ? { root: `${r.file}#${r.name}` } : {}) });
    }
  }
  const key = (file: string, name: string): string | undefined => {
    const r = idx.resolve(file, name);
    return r?.kind === 'local' ? `${r.file}#${r.name}` : undefined;
  };

  // Modules reachable from each app's root; with no bootstrap every module is reachable.
  const reach = (root: string | undefined): Set<string> => {
    if (!root) return new Set(modules.keys());
    const seen = new Set<string>([root]);
    const queue = [root];
    while (queue.length && seen.size < MAX_MODULES) {
      const k = queue.shift()!;
      const mod = modules.get(k);
      if (!mod) continue;
      for (const name of mod.m.imports) {
        const next = key(mod.file, name);
        if (next && !seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    return seen;
  };
  const appList: (App | undefined)[] = apps.length ? apps : [undefined];

  // RouterModule paths by module.
  const routerPrefix = new Map<string, string>();
  for (const [file, facts] of idx.files) {
    for (const rm of facts.nest?.routerModules ?? []) {
      const k = key(file, rm.module);
      if (k && !routerPrefix.has(k)) routerPrefix.set(k, rm.path);
    }
  }

  const mounted = new Set<string>();
  const routes: HttpRoute[] = [];
  const metas = new Map<HttpRoute, NestRouteMeta>();
  const used = new Map<string, { count: number; guard: NestGuard }>();
  const countUse = (g: NestGuard | undefined): void => {
    if (!g || g.optional) return;
    const u = used.get(g.name);
    if (u) u.count++;
    else used.set(g.name, { count: 1, guard: g });
  };
  // Guards written on controllers and methods count once per place they are written.
  for (const { file, c } of controllers.values()) {
    for (const a of c.guards) countUse(guards.guard(file, a));
    for (const m of c.methods) for (const a of m.guards) countUse(guards.guard(file, a));
  }

  for (const app of appList) {
    const reachable = reach(app?.root);
    if (app) table.apps.push({ framework: 'nestjs', name: app.name || 'app', file: app.file, span: app.span });
    const appFacts = app ? idx.files.get(app.file)?.nest : undefined;
    const sameApp = (receiver: string): boolean => !app || !app.name || receiver === app.name;
    const prefix = appFacts?.globalPrefixes.find((p) => sameApp(p.receiver));
    const prefixExclude = prefix?.args[1]?.props?.exclude?.args ?? [];
    const versioning = uriVersioning(appFacts?.versioning.find((v) => sameApp(v.receiver)));

    // Global guards: useGlobalGuards in the bootstrap file, APP_GUARD providers of reachable modules.
    const globals: { g: NestGuard; ref: Omit<GuardRef, 'name' | 'why'> }[] = [];
    for (const gg of appFacts?.globalGuards ?? []) {
      if (!sameApp(gg.receiver)) continue;
      for (const a of gg.args) {
        const g = guards.guard(app!.file, a);
        if (g) globals.push({ g, ref: { level: 'global', file: app!.file, span: a.span } });
        countUse(g);
      }
    }
    const moduleOfSpan = (file: string, span: Span): string | undefined => {
      for (const [k, mod] of modules) if (mod.file === file && span.start >= mod.m.span.start && span.end <= mod.m.span.end) return k;
      return undefined;
    };
    for (const [file, facts] of idx.files) {
      for (const ag of facts.nest?.appGuards ?? []) {
        const owner = moduleOfSpan(file, ag.span);
        const inFile = [...modules.entries()].filter(([, m]) => m.file === file).map(([k]) => k);
        const live = owner ? reachable.has(owner) : inFile.length ? inFile.some((k) => reachable.has(k)) : true;
        if (!live) continue;
        const g = guards.guard(file, ag.provider);
        if (g) globals.push({ g, ref: { level: 'global', file, span: ag.provider.span } });
        countUse(g);
      }
    }
    // Consumer middleware of reachable modules.
    const mws: { g: NestGuard; file: string; entry: NonNullable<RouteFactsTs['nest']>['middleware'][number] }[] = [];
    for (const [file, facts] of idx.files) {
      for (const entry of facts.nest?.middleware ?? []) {
        const owner = moduleOfSpan(file, entry.span);
        if (owner && !reachable.has(owner)) continue;
        for (const a of entry.apply) {
          const g = guards.middleware(file, a);
          if (g) {
            mws.push({ g, file, entry });
            countUse(g);
          }
        }
      }
    }

    for (const k of reachable) {
      const mod = modules.get(k);
      if (!mod) continue;
      for (const cname of mod.m.controllers) {
        const ck = key(mod.file, cname);
        const ctrl = ck ? controllers.get(ck) : undefined;
        if (!ctrl || !ck) continue;
        if (mounted.has(`${app?.file}#${app?.name}#${ck}`)) continue;
        mounted.add(`${app?.file}#${app?.name}#${ck}`);
        mounted.add(ck);
        const ctx = { idx, guards, app, ck, ctrl, globals, mws, routerPath: routerPrefix.get(k), prefix: prefix?.prefix, prefixExclude, versioning, key };
        for (const { route, meta } of controllerRoutes(ctx)) {
          routes.push(route);
          metas.set(route, meta);
        }
      }
    }
  }

  for (const [ck, { file, c }] of controllers) {
    if (mounted.has(ck)) continue;
    table.unmounted.push({ framework: 'nestjs', name: c.name, file, span: c.span, routes: c.methods.length });
  }

  table.guardsUsed = [...used.entries()].map(([name, u]) => ({ framework: 'nestjs' as const, name, count: u.count })).sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
  const candidates = [...used.values()].sort((a, b) => b.count - a.count || (a.guard.name < b.guard.name ? -1 : 1)).map((u) => u.guard);
  for (const r of routes) {
    if (r.guards.some((g) => !g.optional) || !candidates.length) continue;
    const meta = metas.get(r);
    const fix = meta ? nestProtect(idx, r, meta, candidates) : undefined;
    if (fix) r.protect = fix;
  }
  table.routes = routes;
  return table;
}

/** URI versioning (`app.enableVersioning({ type: VersioningType.URI, defaultVersion, prefix })`); other types leave paths alone. */
interface UriVersioning {
  prefix: string;
  defaults?: TsArg;
}

function uriVersioning(v: { options?: TsArg } | undefined): UriVersioning | undefined {
  if (!v) return undefined;
  const props = v.options?.props;
  const type = props?.type?.text;
  if (type && !/URI$/.test(type)) return undefined;
  const p = props?.prefix;
  const prefix = p?.kind === 'string' ? p.text : p?.kind === 'literal' && p.value === false ? '' : 'v';
  return { prefix, ...(props?.defaultVersion ? { defaults: props.defaultVersion } : {}) };
}

/** The version segments of a route: `@Version()` on the method, else the controller's `version`, else the default; '' when neutral or unversioned. */
function routeVersions(v: UriVersioning | undefined, ctrlDec: TsDecorator | undefined, m: NestMethod): string[] {
  if (!v) return [''];
  const fromMethod = m.decorators.find((d) => d.name === 'Version')?.args[0];
  const ctrlArg = ctrlDec?.args[0];
  const fromCtrl = ctrlArg?.kind === 'object' ? ctrlArg.props?.version : undefined;
  const arg = fromMethod ?? fromCtrl ?? v.defaults;
  if (!arg) return [''];
  const one = (a: TsArg): string => (a.kind === 'string' ? v.prefix + a.text : /VERSION_NEUTRAL$/.test(a.text) ? '' : '*');
  const list = arg.kind === 'array' ? (arg.args ?? []).map(one) : [one(arg)];
  return list.length ? [...new Set(list)] : [''];
}

interface CtrlCtx {
  idx: TsIndex;
  guards: NestGuards;
  app: App | undefined;
  ck: string;
  ctrl: Ctrl;
  globals: { g: NestGuard; ref: Omit<GuardRef, 'name' | 'why'> }[];
  mws: { g: NestGuard; file: string; entry: NonNullable<RouteFactsTs['nest']>['middleware'][number] }[];
  routerPath?: string;
  prefix?: string;
  prefixExclude: TsArg[];
  versioning?: UriVersioning;
  key: (file: string, name: string) => string | undefined;
}

/** Paths an HTTP decorator or @Controller argument gives: a string, an array of strings, `{ path }`, or `*` when computed. */
function pathsOf(arg: TsArg | undefined): string[] {
  if (!arg) return [''];
  if (arg.kind === 'string') return [arg.text];
  if (arg.kind === 'array') return (arg.args ?? []).map((a) => (a.kind === 'string' ? a.text : '*'));
  if (arg.kind === 'object') {
    const p = arg.props?.path;
    return p ? pathsOf(p) : [''];
  }
  return ['*'];
}

/** Metadata keys a decorator list sets (`@Public()` → IS_PUBLIC_KEY), and the guards composed decorators apply. */
function decoratorEffects(
  idx: TsIndex,
  guards: NestGuards,
  file: string,
  ds: readonly TsDecorator[],
): { keys: Set<string>; applied: { g: NestGuard; d: TsDecorator }[]; markers: Map<string, TsDecorator> } {
  const keys = new Set<string>();
  const markers = new Map<string, TsDecorator>();
  const applied: { g: NestGuard; d: TsDecorator }[] = [];
  for (const d of ds) {
    if (d.name === 'SetMetadata') {
      const a = d.args[0];
      if (a) {
        const k = a.kind === 'string' ? JSON.stringify(a.text) : metaKey(idx, file, a.text);
        keys.add(k);
        markers.set(k, d);
      }
      continue;
    }
    if (/^(?:Controller|UseGuards|Get|Post|Put|Patch|Delete|All|Head|Options|Param|Body|Query)$/.test(d.name)) continue;
    const r = idx.resolve(file, d.name);
    if (r?.kind !== 'local') continue;
    const meta = idx.files.get(r.file)?.nest?.metadata.find((m) => m.name === r.name);
    if (!meta) continue;
    if (meta.key !== undefined) {
      const k = metaKey(idx, r.file, meta.key);
      keys.add(k);
      markers.set(k, d);
    }
    for (const a of meta.guards ?? []) {
      const g = guards.guard(r.file, a);
      if (g) applied.push({ g, d });
    }
  }
  return { keys, applied, markers };
}

function controllerRoutes(x: CtrlCtx): { route: HttpRoute; meta: NestRouteMeta }[] {
  const { file, c } = x.ctrl;
  const out: { route: HttpRoute; meta: NestRouteMeta }[] = [];
  const ctrlDec = c.decorators.find((d) => d.name === 'Controller');
  const prefixes = pathsOf(ctrlDec?.args[0]);
  const ctrlEff = decoratorEffects(x.idx, x.guards, file, c.decorators);
  for (const m of c.methods) {
    const dec = m.decorators.find((d) => d.span.start === m.span.start);
    const mPaths = pathsOf(dec?.args[0]);
    const mEff = decoratorEffects(x.idx, x.guards, file, m.decorators);
    const keys = new Set([...ctrlEff.keys, ...mEff.keys]);
    for (const cp of prefixes) {
      for (const mp of mPaths) {
        for (const v of routeVersions(x.versioning, ctrlDec, m)) out.push(route(x, m, cp, mp, v, keys, ctrlEff.applied, mEff));
      }
    }
  }
  return out;
}

function route(
  x: CtrlCtx,
  m: NestMethod,
  ctrlPath: string,
  methodPath: string,
  version: string,
  keys: Set<string>,
  ctrlApplied: { g: NestGuard; d: TsDecorator }[],
  mEff: { keys: Set<string>; applied: { g: NestGuard; d: TsDecorator }[]; markers: Map<string, TsDecorator> },
): { route: HttpRoute; meta: NestRouteMeta } {
  const meta: NestRouteMeta = { m, keys, markers: [] };
  const { file, c } = x.ctrl;
  const method = m.method.toUpperCase();
  const local = joinPaths(x.routerPath, ctrlPath, methodPath);
  const target: RouteTarget = { path: local, method, ctrl: x.ck };
  const excluded = x.prefixExclude.some((a) => covers(a, target, () => undefined));
  const path = joinPaths(x.prefix && !excluded ? x.prefix : '', version, local);
  const guards: GuardRef[] = [];
  const add = (g: NestGuard, ref: Omit<GuardRef, 'name' | 'why'>): void => {
    guards.push({ name: g.name, why: g.why, ...(g.optional ? { optional: true } : {}), ...ref });
  };
  // A metadata marker a guard reads (`@Public()` → IS_PUBLIC_KEY) switches that guard off for this route, wherever it is applied.
  const consider = (g: NestGuard, ref: Omit<GuardRef, 'name' | 'why'>): void => {
    const off = g.reflects.filter((k) => keys.has(k));
    if (!off.length) return add(g, ref);
    for (const k of off) {
      const d = mEff.markers.get(k);
      if (d) meta.markers.push({ d, g });
    }
  };
  for (const { g, ref } of x.globals) consider(g, ref);
  for (const mw of x.mws) {
    const ctrlOf = (name: string): string | undefined => x.key(mw.file, name);
    const fwd = mw.entry.forRoutes.some((a) => covers(a, target, ctrlOf));
    const exc = mw.entry.exclude.some((a) => covers(a, target, ctrlOf));
    if (fwd && !exc) add(mw.g, { level: 'app', file: mw.file, span: mw.entry.span });
  }
  for (const a of c.guards) {
    const g = x.guards.guard(file, a);
    if (g) consider(g, { level: 'router', file, span: a.span });
  }
  for (const { g, d } of ctrlApplied) consider(g, { level: 'router', file, span: d.span });
  for (const a of m.guards) {
    const g = x.guards.guard(file, a);
    if (g) consider(g, { level: 'route', file, span: a.span });
  }
  for (const { g, d } of mEff.applied) consider(g, { level: 'route', file, span: d.span });
  // A marker on the controller too keeps the guard off even without the method's marker.
  if (meta.markers.some((mk) => [...keys].some((k) => !mEff.keys.has(k) && mk.g.reflects.includes(k)))) meta.markers = [];
  const route: HttpRoute = {
    framework: 'nestjs',
    method,
    path,
    file,
    span: m.span,
    handler: m.name,
    ...(x.app ? { app: `${x.app.file}#${x.app.name || 'app'}` } : {}),
    guards,
  };
  return { route, meta };
}
