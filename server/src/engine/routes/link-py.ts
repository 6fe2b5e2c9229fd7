// FastAPI, Flask and Django: route facts → linked routes with their guards.
//
// FastAPI and Flask share one graph: apps and routers/blueprints (`file#name`) are nodes,
// `include_router` / `register_blueprint` / `mount` calls are edges carrying a prefix and (FastAPI)
// dependencies. Each app is walked depth-first (bounded, cycle-safe); a route's path is the
// prefixes on its way joined with its own, its guards those of the route (handler dependencies,
// decorators below the route decorator), its routers, the mounts and the app. Routers that no
// app reaches are `unmounted`. Django starts from ROOT_URLCONF (else every urls module no other
// includes) and follows `include()` across modules and DRF routers (py-django.ts).
//
// Paths: prefixes joined, leading `/`, no trailing `/` (except the root); a computed part is `*`.
// WebSocket routes are not HTTP routes and are left out.
// DRF router registrations give a list and a detail route (`/<prefix>`, `/<prefix>/<pk>`), method ALL.
import type { PyApp, PyCall, PyMount, PyRoute, PyValue } from '../parse/routes-py';
import type { SourceFile, Span } from '../types';
import { emptyTable, type AppSite, type GuardRef, type HttpFramework, type HttpRoute, type LinkSettings, type ProtectEdit, type RouteTable } from './model';
import { linkDjango } from './py-django';
import { dependsIn, dependsTarget, FastApiGuards, FlaskGuards, topFunction, type GuardInfo } from './py-guards';
import { importLines, joinPaths, lineIndent, moduleFor } from './py-edits';
import { type PyFile, PyIndex } from './py-modules';

const MAX_MOUNT_DEPTH = 12;

// ---------------------------------------------------------------------------------------
// FastAPI and Flask

type Fw = 'fastapi' | 'flask';

interface Node {
  key: string;
  file: string;
  app: PyApp;
  fw: Fw;
  routes: PyRoute[];
  edges: { child: string; mount: PyMount; file: string }[];
  hooks: GuardRef[];
  appHooks: GuardRef[];
  mounted: boolean;
}

interface Ctx {
  index: PyIndex;
  settings: LinkSettings;
  fastapi: FastApiGuards;
  flask: FlaskGuards;
  nodes: Map<string, Node>;
  /** Routes on an object that is not a known app or router (`app = create_app()`, a Flask-RESTful `Api`): linked at the root. */
  orphans: { file: string; route: PyRoute; fw: Fw }[];
  routes: HttpRoute[];
  /** Guard name → where it is defined, for fix imports; and how often it is applied. */
  used: Map<string, { fw: HttpFramework; info: GuardInfo; count: number; sites: Set<string>; text: string }>;
}

function frameworkOfApp(kind: PyApp['kind']): Fw {
  return kind === 'FastAPI' || kind === 'APIRouter' ? 'fastapi' : 'flask';
}

function strOr(v: PyValue | undefined): string | undefined {
  if (!v) return undefined;
  return v.k === 'str' ? v.v : '*';
}

function nodeKey(index: PyIndex, file: string, name: string): string | undefined {
  const sym = index.resolve(file, name);
  return sym?.kind === 'def' && sym.rest.length === 0 ? `${sym.file}#${sym.name}` : undefined;
}

function note(ctx: Ctx, fw: HttpFramework, info: GuardInfo, ref: GuardRef, text: string): void {
  if (info.optional) return;
  const key = `${fw}\u0000${info.name}`;
  let u = ctx.used.get(key);
  if (!u) ctx.used.set(key, (u = { fw, info, count: 0, sites: new Set(), text }));
  const site = `${ref.file}:${ref.span.start}`;
  if (!u.sites.has(site)) {
    u.sites.add(site);
    u.count++;
  }
}

function guardRef(ctx: Ctx, fw: HttpFramework, info: GuardInfo, level: GuardRef['level'], file: string, span: Span, text: string): GuardRef {
  const ref: GuardRef = { name: info.name, level, why: info.why, ...(info.optional ? { optional: true } : {}), file, span };
  note(ctx, fw, info, ref, text);
  return ref;
}

function depsGuards(ctx: Ctx, file: string, list: PyValue | undefined, level: GuardRef['level']): GuardRef[] {
  if (list?.k !== 'list') return [];
  const out: GuardRef[] = [];
  for (const item of list.items) {
    const t = dependsTarget(item);
    const info = t && ctx.fastapi.classify(file, t);
    if (info) out.push(guardRef(ctx, 'fastapi', info, level, file, item.span, info.name));
  }
  return out;
}

function buildNodes(ctx: Ctx): void {
  for (const f of ctx.index.files.values()) {
    for (const app of f.facts.apps) {
      const key = `${f.path}#${app.target}`;
      if (!ctx.nodes.has(key)) ctx.nodes.set(key, { key, file: f.path, app, fw: frameworkOfApp(app.kind), routes: [], edges: [], hooks: [], appHooks: [], mounted: false });
    }
  }
  for (const f of ctx.index.files.values()) {
    for (const r of f.facts.routes) {
      if (r.methods.includes('WEBSOCKET')) continue;
      const key = nodeKey(ctx.index, f.path, r.owner);
      const node = key ? ctx.nodes.get(key) : undefined;
      if (node) node.routes.push(r);
      else if (r.framework !== 'unknown') ctx.orphans.push({ file: f.path, route: r, fw: r.framework });
    }
    for (const m of f.facts.mounts) {
      const parent = nodeKey(ctx.index, f.path, m.owner);
      const child = m.target.k === 'name' ? nodeKey(ctx.index, f.path, m.target.v) : undefined;
      const pn = parent ? ctx.nodes.get(parent) : undefined;
      const cn = child ? ctx.nodes.get(child) : undefined;
      if (pn && cn && pn !== cn) {
        pn.edges.push({ child: cn.key, mount: m, file: f.path });
        cn.mounted = true;
      }
    }
    for (const h of f.facts.hooks) {
      if (!h.handler) continue;
      const key = nodeKey(ctx.index, f.path, h.owner);
      const node = key ? ctx.nodes.get(key) : undefined;
      if (!node) continue;
      const info = h.kind === 'add_middleware' ? ctx.flask.middlewareClass(f.path, h.handler) : ctx.flask.hook(f.path, h.handler);
      if (!info) continue;
      if (h.kind === 'middleware') info.why = 'HTTP middleware that rejects unauthenticated requests';
      // `before_app_request` on a blueprint covers the whole app; other hooks cover their app or blueprint (and what is mounted on it).
      const appWide = h.kind === 'before_app_request';
      const level = appWide || node.app.kind === 'Flask' || node.app.kind === 'FastAPI' ? 'app' : 'router';
      // A hook is counted as a guard the project uses, but is not something a fix can put on a route (no text).
      const ref = guardRef(ctx, node.fw, info, level, f.path, h.span, '');
      (appWide ? node.appHooks : node.hooks).push(ref);
    }
  }
}

interface Walk {
  root: Node;
  prefix: string;
  guards: GuardRef[];
  depth: number;
  seen: Set<string>;
}

function ownPrefix(node: Node): string {
  const p = node.fw === 'fastapi' ? node.app.call.kwargs.prefix : node.app.call.kwargs.url_prefix;
  return strOr(p) ?? '';
}

function walk(ctx: Ctx, node: Node, w: Walk, appHooks: GuardRef[]): void {
  if (w.depth > MAX_MOUNT_DEPTH || w.seen.has(node.key)) return;
  const seen = new Set(w.seen).add(node.key);
  const level: GuardRef['level'] = node.app.kind === 'FastAPI' || node.app.kind === 'Flask' ? 'app' : 'router';
  const guards = [...w.guards, ...(node.fw === 'fastapi' ? depsGuards(ctx, node.file, node.app.call.kwargs.dependencies, level) : []), ...node.hooks];
  for (const r of node.routes) addRoutes(ctx, node, r, joinPaths(w.prefix), [...guards, ...appHooks], w.root);
  for (const e of node.edges) {
    const child = ctx.nodes.get(e.child)!;
    const mountPrefix = e.mount.kind === 'mount' ? (strOr(e.mount.call.args[0] ?? e.mount.call.kwargs.path) ?? '') : strOr(child.fw === 'fastapi' ? e.mount.call.kwargs.prefix : e.mount.call.kwargs.url_prefix);
    // Flask: register_blueprint(url_prefix=) replaces the blueprint's own; FastAPI: include_router(prefix=) comes before the router's.
    const childPrefix = child.fw === 'flask' ? (mountPrefix ?? ownPrefix(child)) : `${mountPrefix ?? ''}/${ownPrefix(child)}`;
    const mountGuards = child.fw === 'fastapi' ? depsGuards(ctx, e.file, e.mount.call.kwargs.dependencies, 'mount') : [];
    walk(ctx, child, { ...w, prefix: `${w.prefix}/${childPrefix}`, guards: [...guards, ...mountGuards], depth: w.depth + 1, seen }, appHooks);
  }
}

function reachable(ctx: Ctx, node: Node, out: Set<string>, depth = 0): void {
  if (depth > MAX_MOUNT_DEPTH || out.has(node.key)) return;
  out.add(node.key);
  for (const e of node.edges) reachable(ctx, ctx.nodes.get(e.child)!, out, depth + 1);
}

/** The route-level guards of a decorator route: FastAPI dependencies, or Flask decorators below the route decorator. */
function routeGuards(ctx: Ctx, node: Node, r: PyRoute): GuardRef[] {
  const file = node.file;
  const out: GuardRef[] = [];
  if (node.fw === 'fastapi') {
    out.push(...depsGuards(ctx, file, r.call.kwargs.dependencies, 'route'));
    // `add_api_route("/x", endpoint)`: the endpoint function's parameters, read where it is defined.
    const endpoint = !r.handler && r.view?.k === 'name' ? ctx.index.resolve(file, r.view.v) : undefined;
    const fn = endpoint?.kind === 'def' && endpoint.rest.length === 0 ? topFunction(ctx.index, endpoint.file, endpoint.name) : undefined;
    const paramsFile = fn && endpoint?.kind === 'def' ? endpoint.file : file;
    for (const p of r.handler?.params ?? fn?.params ?? []) {
      for (const d of [...dependsIn(ctx.index, paramsFile, p.default), ...dependsIn(ctx.index, paramsFile, p.annotation)]) {
        const info = ctx.fastapi.classify(d.file, d.dep);
        if (info) out.push(guardRef(ctx, 'fastapi', info, 'route', paramsFile, p.span, info.name));
      }
    }
    return out;
  }
  if (r.via === 'call') return callRouteGuards(ctx, file, r);
  const decorators = r.handler?.decorators ?? [];
  const at = decorators.findIndex((d) => d.span.start >= r.span.start && d.span.end <= r.span.end);
  // Flask registers the function as decorated by the decorators below the route decorator only.
  for (const d of at < 0 ? [] : decorators.slice(at + 1)) {
    const info = ctx.flask.decorator(file, d);
    if (info) out.push(guardRef(ctx, 'flask', info, 'route', file, d.span, renderDecorator(d)));
  }
  return out;
}

/** Flask call routes: `add_url_rule(view_func=...)` / `add_resource(Resource, ...)`: the view's own decorators, or its class's `decorators` / `method_decorators`. */
function callRouteGuards(ctx: Ctx, file: string, r: PyRoute): GuardRef[] {
  const out: GuardRef[] = [];
  const add = (f: string, d: PyValue): void => {
    const info = ctx.flask.decorator(f, d);
    if (info) out.push(guardRef(ctx, 'flask', info, 'route', f, d.span, renderDecorator(d)));
  };
  let v = r.view;
  for (let depth = 0; v && depth < 4; depth++) {
    if (v.k === 'call' && !v.fn.endsWith('.as_view') && v.args[0]) {
      // `login_required(view)`: the wrapper, then what it wraps.
      add(file, v);
      v = v.args[0];
      continue;
    }
    const name = v.k === 'name' ? v.v : v.k === 'call' ? v.fn.replace(/\.as_view$/, '') : undefined;
    const sym = name ? ctx.index.resolve(file, name) : undefined;
    if (sym?.kind !== 'def' || sym.rest.length > 0) break;
    const fn = topFunction(ctx.index, sym.file, sym.name);
    if (fn) for (const d of fn.decorators) add(sym.file, d);
    const cls = ctx.index.files.get(sym.file)?.facts.classes.find((c) => c.name === sym.name);
    for (const attr of [cls?.attrs.decorators, cls?.attrs.method_decorators]) {
      if (attr?.k === 'list') for (const d of attr.items) add(sym.file, d);
    }
    break;
  }
  return out;
}

function renderDecorator(d: PyValue): string {
  if (d.k === 'name') return d.v;
  if (d.k !== 'call') return '';
  const args = d.args.map((a) => (a.k === 'str' ? JSON.stringify(a.v) : a.k === 'name' || a.k === 'const' ? a.v : undefined));
  return args.every((a) => a !== undefined) ? `${d.fn}(${args.join(', ')})` : `${d.fn}()`;
}

function addRoutes(ctx: Ctx, node: Node, r: PyRoute, prefix: string, inherited: GuardRef[], root: Node | undefined): void {
  const own = routeGuards(ctx, node, r);
  const path = joinPaths(prefix, r.path ?? '*');
  const methods = r.methods.length > 0 ? r.methods : ['ALL'];
  for (const method of methods) {
    ctx.routes.push({
      framework: node.fw,
      method,
      path,
      file: node.file,
      span: r.span,
      ...(r.handler ? { handler: r.handler.name } : r.view?.k === 'name' ? { handler: r.view.v } : {}),
      ...(root ? { app: root.key } : {}),
      guards: [...own, ...inherited],
    });
  }
}

// ---------------------------------------------------------------------------------------
// Fixes

function lastArgEnd(call: PyCall): number | undefined {
  const ends = [...call.args, ...Object.values(call.kwargs)].map((v) => v.span.end);
  return ends.length > 0 ? Math.max(...ends) : undefined;
}

function importsFor(ctx: Ctx, file: PyFile, g: { info: GuardInfo; text: string }, extra: { module: string; name: string }[]): ProtectEdit[] {
  const head = g.text.split(/[.(]/)[0]!;
  const wanted: { module: string; name: string }[] = [];
  if (!ctx.index.bound(file.path, head)) {
    if (g.info.module) wanted.push({ module: g.info.module, name: head });
    else if (g.info.file && g.info.file !== file.path) wanted.push({ module: moduleFor(ctx.index, file.path, g.info.file), name: head });
  }
  return importLines(ctx.index, file, [...wanted, ...extra]);
}

function mostUsed(ctx: Ctx, fw: HttpFramework): { info: GuardInfo; text: string } | undefined {
  let best: { info: GuardInfo; text: string; count: number } | undefined;
  for (const u of ctx.used.values()) {
    if (u.fw !== fw || !u.text) continue;
    if (!best || u.count > best.count || (u.count === best.count && u.info.name < best.info.name)) best = u;
  }
  return best;
}

function addFixes(ctx: Ctx): void {
  const fastapi = mostUsed(ctx, 'fastapi');
  const flask = mostUsed(ctx, 'flask');
  const byFile = new Map<string, PyRoute[]>();
  for (const f of ctx.index.files.values()) byFile.set(f.path, f.facts.routes);
  for (const route of ctx.routes) {
    if (route.guards.some((g) => !g.optional)) continue;
    const file = ctx.index.files.get(route.file);
    const r = byFile.get(route.file)?.find((x) => x.span.start === route.span.start);
    if (!file || !r) continue;
    if (route.framework === 'fastapi' && fastapi && r.via === 'decorator') {
      const deps = r.call.kwargs.dependencies;
      const dep = `Depends(${fastapi.text})`;
      let edit: ProtectEdit | undefined;
      if (deps?.k === 'list') {
        const last = deps.items[deps.items.length - 1];
        edit = last ? { file: file.path, span: { start: last.span.end, end: last.span.end }, newText: `, ${dep}` } : { file: file.path, span: { start: deps.span.start + 1, end: deps.span.start + 1 }, newText: dep };
      } else if (!deps) {
        // (A `dependencies=` that is not a list literal cannot be extended safely: no fix.)
        const end = lastArgEnd(r.call);
        if (end !== undefined) edit = { file: file.path, span: { start: end, end }, newText: `, dependencies=[${dep}]` };
      }
      if (edit) route.protect = { guard: fastapi.info.name, edits: [edit, ...importsFor(ctx, file, fastapi, [{ module: 'fastapi', name: 'Depends' }])] };
    } else if (route.framework === 'flask' && flask && r.via === 'decorator') {
      const decorator = r.handler?.decorators.find((d) => d.span.start >= r.span.start && d.span.end <= r.span.end);
      if (!decorator) continue;
      const indent = lineIndent(file, r.span.start);
      const edit = { file: file.path, span: { start: decorator.span.end, end: decorator.span.end }, newText: `\n${indent}@${flask.text}` };
      route.protect = { guard: flask.info.name, edits: [edit, ...importsFor(ctx, file, flask, [])] };
    }
  }
}

// ---------------------------------------------------------------------------------------

function linkGraph(index: PyIndex, settings: LinkSettings, table: RouteTable): void {
  const ctx: Ctx = {
    index,
    settings,
    fastapi: new FastApiGuards(index, settings.authGuards),
    flask: new FlaskGuards(index, settings.authGuards),
    nodes: new Map(),
    orphans: [],
    routes: [],
    used: new Map(),
  };
  buildNodes(ctx);
  const nodes = [...ctx.nodes.values()];
  const hasApp = (fw: Fw): boolean => nodes.some((n) => n.fw === fw && (n.app.kind === 'FastAPI' || n.app.kind === 'Flask'));
  // Roots: the apps; without any app of that framework (a library of routers), every router no one mounts.
  // A sub-application mounted on another (`app.mount("/v2", v2)`) is reached through it.
  let roots = nodes.filter((n) => !n.mounted && (n.app.kind === 'FastAPI' || n.app.kind === 'Flask' || !hasApp(n.fw)));
  if (roots.length === 0) roots = nodes.filter((n) => n.app.kind === 'FastAPI' || n.app.kind === 'Flask');
  const reached = new Set<string>();
  for (const root of roots) {
    const within = new Set<string>();
    reachable(ctx, root, within);
    within.forEach((k) => reached.add(k));
    const appHooks = [...within].flatMap((k) => ctx.nodes.get(k)!.appHooks);
    walk(ctx, root, { root, prefix: '', guards: [], depth: 0, seen: new Set() }, appHooks);
  }
  for (const n of nodes) {
    if (n.app.kind === 'FastAPI' || n.app.kind === 'Flask') {
      table.apps.push({ framework: n.fw, name: n.app.target, file: n.file, span: n.app.span } satisfies AppSite);
    } else if (!reached.has(n.key) && n.routes.length > 0) {
      table.unmounted.push({ framework: n.fw, name: n.app.target, file: n.file, span: n.app.span, routes: n.routes.length });
    }
  }
  for (const o of ctx.orphans) {
    const app: PyApp = { kind: o.fw === 'fastapi' ? 'APIRouter' : 'Blueprint', target: o.route.owner, call: o.route.call, span: o.route.span };
    const pseudo: Node = { key: `${o.file}#${o.route.owner}`, file: o.file, app, fw: o.fw, routes: [], edges: [], hooks: [], appHooks: [], mounted: false };
    addRoutes(ctx, pseudo, o.route, '', [], undefined);
  }
  addFixes(ctx);
  table.routes.push(...ctx.routes);
  for (const u of ctx.used.values()) table.guardsUsed.push({ framework: u.fw, name: u.info.name, count: u.count });
}

export function linkPython(files: readonly SourceFile[], settings: LinkSettings): RouteTable {
  const table = emptyTable();
  try {
    const index = new PyIndex(files);
    if (![...index.files.values()].some((f) => f.facts.routes.length + f.facts.urlpatterns.length + f.facts.apps.length > 0)) return table;
    linkGraph(index, settings, table);
    linkDjango(index, settings, table);
  } catch {
    // Linking never fails a scan: what was linked so far is kept.
  }
  table.guardsUsed.sort((a, b) => (a.framework < b.framework ? -1 : a.framework > b.framework ? 1 : b.count - a.count || (a.name < b.name ? -1 : 1)));
  return table;
}

export { joinPaths };
