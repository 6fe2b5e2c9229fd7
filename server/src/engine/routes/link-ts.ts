// Express, Koa, Hono and Fastify: route facts → linked routes with their guards.
//
// Every app, router and registering function becomes a node with its registrations in source
// order (routes, `use` middleware, mounts, Fastify hooks and plugin registrations, and calls
// that hand the node to a function: `registerRoutes(app)`). Walking from the apps joins
// prefixes and collects the guards in force: Express/Koa/Hono middleware applies to what is
// registered after it in the same router (and below its mounts); Fastify hooks apply to their
// encapsulation context and its children, and a `fastify-plugin` wrapped plugin's hooks to its
// parent. Nodes no app reaches are unmounted. Work is bounded (depth, visited sets).
import type { TsApp, TsArg, TsFramework, TsHook, TsInFunction, TsRegister, TsRoute, TsUse } from '../parse/routes-ts';
import type { SourceFile, Span } from '../types';
import { emptyTable, type AppSite, type DetachedRouter, type GuardRef, type HttpFramework, type HttpRoute, type LinkSettings, type ProtectEdit, type RouteTable } from './model';
import { displayName, freeNames, GuardClassifier, renderArg, type GuardInfo } from './ts-guards';
import { dirOf, joinPath, Modules, relativeSpecifier, type Target } from './ts-modules';

type Fw = Extract<HttpFramework, 'express' | 'koa' | 'hono' | 'fastify'>;

const MAX_DEPTH = 24;
const HOOKS = new Set(['onRequest', 'preParsing', 'preValidation', 'preHandler']);

type Item =
  | { kind: 'route'; pos: number; file: string; r: TsRoute }
  | { kind: 'use'; pos: number; file: string; u: TsUse; mounts?: Node[]; mw?: TsArg[] }
  | { kind: 'include'; pos: number; node: string }
  | { kind: 'hook'; pos: number; file: string; h: TsHook }
  | { kind: 'register'; pos: number; file: string; reg: TsRegister; child: string; encapsulated: boolean };

interface Node {
  key: string;
  framework?: Fw;
  /** app: express()/Koa/fastify(); router: Router()/koa-router/Hono; fn: a registering function's parameter. */
  kind: 'app' | 'router' | 'fn';
  file: string;
  name: string;
  span: Span;
  prefix: string;
  items: Item[];
  mounted: boolean;
  routes: number;
  /** Registers `@fastify/autoload`: a fastify-cli app plugin is the app. */
  autoload?: boolean;
  /** When the node was created: while reading app creations (0) or registrations (1), and which file. */
  origin: NodeOrigin;
}

/** Where a table entry's node was created: node order is creation order (ts-groups.ts restores it across separately linked groups). */
export interface NodeOrigin {
  phase: 0 | 1;
  file: string;
}

const origins = new WeakMap<object, NodeOrigin>();

/** The origin of an app or unmounted entry of a table linkTs made. */
export function originOf(entry: object): NodeOrigin | undefined {
  return origins.get(entry);
}

interface Applied {
  info: GuardInfo;
  level: GuardRef['level'];
  file: string;
  span: Span;
  /** The argument applied (for the fix). */
  arg: TsArg;
  /** Path scope (`app.use('/api/*', jwt())`): applies to routes under it. */
  scope?: string;
}

const FW: Readonly<Record<TsFramework, Fw>> = { express: 'express', 'express-router': 'express', koa: 'koa', 'koa-router': 'koa', hono: 'hono', fastify: 'fastify' };

export function joinRoute(...parts: (string | undefined)[]): string {
  const segs: string[] = [];
  for (const p of parts) if (p) for (const s of p.split('/')) if (s) segs.push(s);
  return '/' + segs.join('/');
}

function scopeMatches(scope: string, path: string): boolean {
  const s = scope.replace(/\/?\*+$/, '').replace(/\/+$/, '');
  if (s === '' || s === '/') return true;
  return path === s || path.startsWith(s + '/');
}

function fnKey(file: string, fnStart: number, param: number): string {
  return `${file}#fn@${fnStart}#${param}`;
}

class Linker {
  readonly nodes = new Map<string, Node>();
  private readonly guards: GuardClassifier;
  private readonly out: HttpRoute[] = [];
  private readonly seenRoutes = new Set<string>();
  private readonly reached = new Set<string>();
  /** Guard applications by site, for guardsUsed and the fix. */
  private readonly applied = new Map<string, { framework: Fw; a: Applied }>();
  private readonly importedFiles = new Set<string>();
  private readonly roots = new Set<string>();
  /** The file being read and the pass, for node origins. */
  private reading: NodeOrigin = { phase: 0, file: '' };

  constructor(
    readonly mods: Modules,
    settings: LinkSettings,
  ) {
    this.guards = new GuardClassifier(mods, settings.authGuards);
  }

  run(): RouteTable {
    this.build();
    const table = emptyTable();
    const roots = this.roots;
    for (const n of this.nodes.values()) if (this.isRoot(n)) roots.add(n.key);
    for (const n of this.nodes.values()) {
      if (!roots.has(n.key)) continue;
      const fw = n.framework ?? 'express';
      const app: AppSite = { framework: fw, name: n.name, file: n.file, span: n.span };
      origins.set(app, n.origin);
      table.apps.push(app);
      this.walk(n, { fw, prefix: '', guards: [], app: `${n.file}#${n.name}`, depth: 0, stack: new Set() });
    }
    for (const n of this.nodes.values()) {
      if (this.reached.has(n.key) || roots.has(n.key) || n.routes === 0) continue;
      // A function parameter with routes is unmounted only when nothing hands it an app (it may be reached through a caller we cannot see).
      const u: DetachedRouter = { framework: n.framework ?? 'express', name: n.name, file: n.file, span: n.span, routes: n.routes };
      origins.set(u, n.origin);
      table.unmounted.push(u);
    }
    table.routes = this.out;
    this.addFixes(table);
    return table;
  }

  // ---- building the nodes ----

  private node(key: string, init: () => Omit<Node, 'key' | 'items' | 'mounted' | 'routes' | 'origin'>): Node {
    let n = this.nodes.get(key);
    if (!n) {
      n = { key, items: [], mounted: false, routes: 0, origin: this.reading, ...init() };
      this.nodes.set(key, n);
    }
    return n;
  }

  private appKey(file: string, a: Pick<TsApp, 'name' | 'span'>): string {
    return `${file}#${a.name}@${a.span.start}`;
  }

  private fnNode(file: string, f: TsInFunction | { name: string; span: Span }, param: number): Node {
    return this.node(fnKey(file, f.span.start, param), () => ({ kind: 'fn', file, name: f.name || 'default', span: f.span, prefix: '' }));
  }

  /** The node a receiver names at a position. */
  private receiverNode(file: string, receiver: string, inFunction: TsInFunction | undefined, pos: number): Node | undefined {
    if (inFunction) return this.fnNode(file, inFunction, inFunction.param);
    const t = /^[A-Za-z_$][\w$]*$|^this\.[\w$]+$/.test(receiver) ? this.mods.resolveName(file, receiver, pos) : this.mods.resolveMember(file, receiver);
    return t?.t === 'node' ? this.nodes.get(`${t.file}#${t.name}@${t.pos}`) : undefined;
  }

  private build(): void {
    for (const [file, f] of this.mods.facts) {
      this.reading = { phase: 0, file };
      for (const a of f.apps) {
        const fw = FW[a.framework];
        const kind = a.framework === 'express' || a.framework === 'koa' || a.framework === 'fastify' ? 'app' : 'router';
        const prefix = a.framework === 'hono' ? (a.basePath ?? '') : typeof a.options?.prefix === 'string' ? a.options.prefix : '';
        this.node(this.appKey(file, a), () => ({ framework: fw, kind, file, name: a.name, span: a.span, prefix }));
      }
      for (const imp of f.imports) {
        const t = this.mods.resolve(file, imp.module);
        if (t) this.importedFiles.add(t);
      }
    }
    for (const [file, f] of this.mods.facts) {
      this.reading = { phase: 1, file };
      for (const r of f.routes) {
        const n = this.receiverNode(file, r.receiver, r.inFunction, r.span.start);
        if (!n) continue;
        n.items.push({ kind: 'route', pos: r.span.start, file, r });
        n.routes++;
      }
      for (const u of f.uses) this.receiverNode(file, u.receiver, u.inFunction, u.span.start)?.items.push({ kind: 'use', pos: u.span.start, file, u });
      for (const h of f.hooks) {
        const n = this.receiverNode(file, h.receiver, h.inFunction, h.span.start);
        if (n) {
          n.framework ??= 'fastify';
          n.items.push({ kind: 'hook', pos: h.span.start, file, h });
        }
      }
      for (const p of f.prefixes) {
        const n = this.receiverNode(file, p.receiver, undefined, p.span.start);
        if (n) n.prefix = p.path;
      }
      for (const reg of f.registers) {
        const parent = this.receiverNode(file, reg.receiver, reg.inFunction, reg.span.start);
        if (parent && this.autoload(file, reg, parent)) continue;
        const plugin = this.pluginOf(file, reg.plugin, 0);
        if (!parent || !plugin) continue;
        const child = this.fnNode(plugin.file, { name: plugin.name, span: plugin.span }, 0);
        child.framework ??= 'fastify';
        parent.framework ??= 'fastify';
        child.mounted = true;
        parent.items.push({ kind: 'register', pos: reg.span.start, file, reg, child: child.key, encapsulated: plugin.encapsulated });
      }
      for (const c of f.calls) {
        const fn = this.fnOf(file, c.callee, 0);
        if (!fn) continue;
        c.args.forEach((a, i) => {
          const inF = c.argFns[i] ?? undefined;
          const target = inF ? this.fnNode(file, inF, inF.param) : a.kind === 'identifier' || a.kind === 'member' ? this.receiverNode(file, a.text, undefined, c.span.start) : undefined;
          if (!target) return;
          const child = this.fnNode(fn.file, { name: fn.name, span: fn.span }, i);
          if (child.key === target.key) return;
          child.mounted = true;
          target.items.push({ kind: 'include', pos: c.span.start, node: child.key });
        });
      }
    }
    for (const n of this.nodes.values()) n.items.sort((a, b) => a.pos - b.pos);
    // Which `use`/`route` arguments are routers (mounted) and which are middleware, decided once.
    for (const n of [...this.nodes.values()]) {
      for (const it of n.items) {
        if (it.kind !== 'use') continue;
        it.mounts = [];
        it.mw = [];
        for (const a of it.u.args) {
          const ns = this.argNodes(it.file, a, it.pos, 0).filter((x) => x.key !== n.key);
          if (ns.length) it.mounts.push(...ns);
          else it.mw.push(a);
        }
        for (const m of it.mounts) m.mounted = true;
      }
    }
  }

  /** `register(AutoLoad, { dir: join(__dirname, 'routes') })`: every plugin module below the directory, prefixed by its subdirectory. */
  private autoload(file: string, reg: TsRegister, parent: Node): boolean {
    const p = reg.plugin;
    const t = p.kind === 'identifier' ? this.mods.resolveName(file, p.text) : undefined;
    if (t?.t !== 'external' || !/^(?:@fastify\/autoload|fastify-autoload)$/.test(t.module)) return false;
    const dirArg = reg.options?.props?.dir;
    const parts = dirArg?.kind === 'string' ? [dirArg.text] : (dirArg?.args ?? []).filter((a) => a.kind === 'string').map((a) => a.text);
    if (!parts.length) return true;
    const base = joinPath(dirOf(file), parts.join('/'));
    const optPrefix = reg.options?.props?.options?.options?.prefix;
    parent.autoload = true;
    parent.framework ??= 'fastify';
    for (const target of this.mods.facts.keys()) {
      if (!target.startsWith(base + '/')) continue;
      const plugin = this.pluginTarget(this.mods.resolveExport(target, 'default'), 0);
      if (!plugin) continue;
      const child = this.fnNode(plugin.file, { name: plugin.name, span: plugin.span }, 0);
      child.framework ??= 'fastify';
      child.mounted = true;
      const sub = dirOf(target.slice(base.length + 1));
      const prefix = joinRoute(typeof optPrefix === 'string' ? optPrefix : undefined, sub);
      parent.items.push({ kind: 'register', pos: reg.span.start, file, reg: { ...reg, prefix }, child: child.key, encapsulated: plugin.encapsulated });
    }
    return true;
  }

  /** The function a callee names (`registerRoutes`, `routes.register`, `require('./routes')`). */
  private fnOf(file: string, callee: TsArg, depth: number): { file: string; name: string; span: Span } | undefined {
    if (depth > 6) return undefined;
    let t: Target | undefined;
    if (callee.kind === 'identifier') t = this.mods.resolveName(file, callee.text);
    else if (callee.kind === 'member') t = this.mods.resolveMember(file, callee.text);
    else if (callee.kind === 'call' && callee.text === 'require' && callee.args?.[0]?.kind === 'string') t = this.mods.resolveImport(file, callee.args[0].text, 'default', 0);
    else if (callee.kind === 'function') return { file, name: callee.text, span: callee.span };
    if (!t) return undefined;
    if (t.t === 'fn') return { file: t.file, name: t.name, span: t.span };
    if (t.t === 'value') return this.fnOf(t.file, t.arg, depth + 1);
    return undefined;
  }

  /** A Fastify plugin argument: the function, and whether `fastify-plugin` unwraps its encapsulation. */
  private pluginOf(file: string, a: TsArg, depth: number): { file: string; name: string; span: Span; encapsulated: boolean } | undefined {
    if (depth > 6) return undefined;
    if (a.kind === 'function') return { file, name: a.text, span: a.span, encapsulated: true };
    if (a.kind === 'call') {
      const callee = this.mods.resolveName(file, a.text);
      const isFp = (callee?.t === 'external' && callee.module === 'fastify-plugin') || /^(?:fp|fastifyPlugin)$/.test(a.text);
      if (isFp && a.args?.[0]) {
        const inner = this.pluginOf(file, a.args[0], depth + 1);
        return inner ? { ...inner, encapsulated: false } : undefined;
      }
      if (a.text === 'require' && a.args?.[0]?.kind === 'string') return this.pluginTarget(this.mods.resolveImport(file, a.args[0].text, 'default', 0), depth);
      if (a.text === 'import' && a.args?.[0]?.kind === 'string') return this.pluginTarget(this.mods.resolveImport(file, a.args[0].text, 'default', 0), depth);
      return undefined;
    }
    if (a.kind === 'identifier') return this.pluginTarget(this.mods.resolveName(file, a.text), depth);
    if (a.kind === 'member') return this.pluginTarget(this.mods.resolveMember(file, a.text), depth);
    return undefined;
  }

  private pluginTarget(t: Target | undefined, depth: number): { file: string; name: string; span: Span; encapsulated: boolean } | undefined {
    if (!t) return undefined;
    if (t.t === 'fn') return { file: t.file, name: t.name, span: t.span, encapsulated: true };
    if (t.t === 'value') return this.pluginOf(t.file, t.arg, depth + 1);
    return undefined;
  }

  /** Routers an argument stands for (`usersRouter`, `sub.routes()`, `makeRouter(db)`, `require('./r')`). */
  private argNodes(file: string, a: TsArg, pos: number, depth: number): Node[] {
    if (depth > 8) return [];
    if (a.kind === 'identifier' || a.kind === 'member') {
      const t = /^[A-Za-z_$][\w$]*$|^this\.[\w$]+$/.test(a.text) ? this.mods.resolveName(file, a.text, pos) : this.mods.resolveMember(file, a.text);
      return this.targetNodes(t, depth);
    }
    if (a.kind === 'call') {
      const m = /^(.*)\.(?:routes|middleware)$/.exec(a.text);
      if (m) return this.argNodes(file, { kind: /^[\w$]+$/.test(m[1]!) ? 'identifier' : 'member', text: m[1]!, span: a.span }, pos, depth + 1);
      if (a.text === 'require' && a.args?.[0]?.kind === 'string') return this.targetNodes(this.mods.resolveImport(file, a.args[0].text, 'default', 0), depth);
      const fn = this.fnOf(file, { kind: /^[\w$]+$/.test(a.text) ? 'identifier' : 'member', text: a.text, span: a.span }, 0);
      if (!fn) return [];
      // A factory: the routers it creates (the first is the one it returns in practice).
      const f = this.mods.facts.get(fn.file);
      const inside = (f?.apps ?? []).filter((x) => x.span.start >= fn.span.start && x.span.end <= fn.span.end && (x.framework === 'express-router' || x.framework === 'koa-router' || x.framework === 'hono' || x.framework === 'express'));
      const first = inside[0];
      const n = first ? this.nodes.get(this.appKey(fn.file, first)) : undefined;
      return n ? [n] : [];
    }
    return [];
  }

  private targetNodes(t: Target | undefined, depth: number): Node[] {
    if (!t) return [];
    if (t.t === 'node') {
      const n = this.nodes.get(`${t.file}#${t.name}@${t.pos}`);
      return n ? [n] : [];
    }
    if (t.t === 'value') return this.argNodes(t.file, t.arg, Number.MAX_SAFE_INTEGER, depth + 1);
    return [];
  }

  private isRoot(n: Node): boolean {
    if (n.mounted) return false;
    if (n.kind === 'app' || n.autoload) return true;
    if (n.framework !== 'hono' || n.kind !== 'router') return false;
    // A Hono instance nobody mounts is the app when it mounts others, or when nothing in its package
    // mounts sub-apps and its module is an entry point (imported by no one).
    if (this.mountsOthers(n)) return true;
    const pkg = this.mods.packageOf(n.file);
    const hasMain = [...this.nodes.values()].some((m) => m.framework === 'hono' && !m.mounted && this.mountsOthers(m) && this.mods.packageOf(m.file) === pkg);
    return !hasMain && !this.importedFiles.has(n.file);
  }

  private mountsOthers(n: Node): boolean {
    return n.items.some((i) => i.kind === 'use' && i.u.via === 'route' && (i.mounts?.length ?? 0) > 0);
  }

  // ---- walking ----

  private classify(file: string, arg: TsArg, level: GuardRef['level'], fw: Fw, scope?: string): Applied[] {
    const items = arg.kind === 'array' ? (arg.args ?? []) : [arg];
    const out: Applied[] = [];
    for (const x of items) {
      // `fastify.auth([a, b])` counts as one guard; a plain array spreads its middleware.
      const g = this.guards.classify(file, x);
      if (!g) continue;
      const a: Applied = { info: g, level, file, span: x.span, arg: x, ...(scope !== undefined ? { scope } : {}) };
      out.push(a);
      this.applied.set(`${file}:${x.span.start}`, { framework: fw, a });
    }
    return out;
  }

  private walk(n: Node, ctx: { fw: Fw; prefix: string; guards: Applied[]; app: string; depth: number; stack: Set<string> }): void {
    if (ctx.depth > MAX_DEPTH || ctx.stack.has(n.key)) return;
    this.reached.add(n.key);
    const stack = new Set(ctx.stack).add(n.key);
    const fw = n.framework ?? ctx.fw;
    const prefix = joinRoute(ctx.prefix, n.prefix);
    if (fw === 'fastify') return this.walkFastify(n, { ...ctx, fw, prefix, stack });
    const guards = [...ctx.guards];
    const level: GuardRef['level'] = n.kind === 'app' || this.roots.has(n.key) ? 'app' : 'router';
    this.items(n, n.items, { ...ctx, fw, prefix, guards, stack, level }, 0);
  }

  private items(n: Node, items: Item[], c: { fw: Fw; prefix: string; guards: Applied[]; app: string; depth: number; stack: Set<string>; level: GuardRef['level'] }, incl: number): void {
    for (const it of items) {
      if (it.kind === 'include') {
        const child = this.nodes.get(it.node);
        if (!child || incl > 8 || c.stack.has(child.key)) continue;
        this.reached.add(child.key);
        this.items(child, child.items, { ...c, stack: new Set(c.stack).add(child.key) }, incl + 1);
      } else if (it.kind === 'use') {
        const u = it.u;
        const mountPath = u.path ?? (u.dynamic ? '*' : undefined);
        const mounts = it.mounts ?? [];
        const mw = it.mw ?? u.args;
        if (!mounts.length) {
          for (const a of mw) c.guards.push(...this.classify(it.file, a, c.level, c.fw, mountPath !== undefined ? joinRoute(c.prefix, mountPath) : undefined));
          continue;
        }
        const mwGuards = mw.flatMap((a) => this.classify(it.file, a, 'mount', c.fw));
        for (const m of mounts) {
          this.walk(m, { fw: c.fw, prefix: joinRoute(c.prefix, mountPath), guards: [...c.guards, ...mwGuards], app: c.app, depth: c.depth + 1, stack: c.stack });
        }
      } else if (it.kind === 'route') {
        let r = it.r;
        // koa-router named routes: `router.get('user', '/users/:id', handler)`.
        if (c.fw === 'koa' && r.path !== undefined && !r.path.startsWith('/') && r.args[0]?.kind === 'string' && r.args[0].text.startsWith('/')) r = { ...r, path: r.args[0].text, args: r.args.slice(1) };
        const path = joinRoute(c.prefix, r.path ?? '*');
        const args = r.args;
        const handler = args[args.length - 1];
        const mids = args.slice(0, -1).filter((a) => a.kind !== 'object');
        const own = mids.flatMap((a) => this.classify(it.file, a, 'route', c.fw));
        const hooks = Object.entries(r.hooks ?? {}).filter(([k]) => HOOKS.has(k)).flatMap(([, v]) => v.flatMap((a) => this.classify(it.file, a, 'route', c.fw)));
        const guards = [...c.guards.filter((g) => g.scope === undefined || scopeMatches(g.scope, path)), ...own, ...hooks];
        this.emit(c.fw, r, it.file, path, handler, c.app, guards);
      }
    }
  }

  /** Hooks of a Fastify context, with those of `fastify-plugin` children and included functions (they share the context). */
  private ownHooks(n: Node, level: GuardRef['level'], depth: number): Applied[] {
    if (depth > 8) return [];
    const out: Applied[] = [];
    for (const it of n.items) {
      if (it.kind === 'hook' && HOOKS.has(it.h.hook)) for (const a of it.h.args) out.push(...this.classify(it.file, a, level, 'fastify'));
      if ((it.kind === 'register' && !it.encapsulated) || it.kind === 'include') {
        const child = this.nodes.get(it.kind === 'register' ? it.child : it.node);
        if (child) out.push(...this.ownHooks(child, level, depth + 1));
      }
      // `fastify.register(fastifyAuth)` / `@fastify/jwt` plugins add no hook by themselves.
    }
    return out;
  }

  private walkFastify(n: Node, c: { fw: Fw; prefix: string; guards: Applied[]; app: string; depth: number; stack: Set<string> }): void {
    const level: GuardRef['level'] = n.kind === 'app' ? 'app' : 'router';
    const guards = dedupe([...c.guards, ...this.ownHooks(n, level, 0)]);
    this.fastifyItems(n, guards, c, 0);
  }

  private fastifyItems(n: Node, guards: Applied[], c: { fw: Fw; prefix: string; guards: Applied[]; app: string; depth: number; stack: Set<string> }, incl: number): void {
    for (const it of n.items) {
      if (it.kind === 'route') {
        const r = it.r;
        const path = joinRoute(c.prefix, r.path ?? '*');
        const hooks = Object.entries(r.hooks ?? {}).filter(([k]) => HOOKS.has(k)).flatMap(([, v]) => v.flatMap((a) => this.classify(it.file, a, 'route', 'fastify')));
        const handler = r.via === 'fastify-route' ? r.args[0]?.props?.handler : r.args[r.args.length - 1];
        this.emit('fastify', r, it.file, path, handler, c.app, dedupe([...guards, ...hooks]));
      } else if (it.kind === 'register') {
        const child = this.nodes.get(it.child);
        if (child) this.walk(child, { ...c, prefix: joinRoute(c.prefix, it.reg.prefix), guards, depth: c.depth + 1 });
      } else if (it.kind === 'include') {
        const child = this.nodes.get(it.node);
        if (!child || incl > 8 || c.stack.has(child.key)) continue;
        this.reached.add(child.key);
        this.fastifyItems(child, guards, { ...c, stack: new Set(c.stack).add(child.key) }, incl + 1);
      }
    }
  }

  private emit(fw: Fw, r: TsRoute, file: string, path: string, handler: TsArg | undefined, app: string, applied: Applied[]): void {
    const method = r.method === 'all' ? 'ALL' : r.method.toUpperCase();
    const key = `${file}:${r.span.start}:${method}:${path}`;
    if (this.seenRoutes.has(key)) return;
    this.seenRoutes.add(key);
    const guards: GuardRef[] = dedupe(applied).map((a) => ({ name: a.info.name, level: a.level, why: a.info.why, ...(a.info.optional ? { optional: true } : {}), file: a.file, span: a.span }));
    const route: HttpRoute = { framework: fw, method, path, file, span: r.span, app, guards };
    const h = handler && (handler.kind === 'identifier' || handler.kind === 'member' || (handler.kind === 'function' && handler.text)) ? handler.text : undefined;
    if (h) route.handler = h;
    this.out.push(route);
  }

  // ---- guards used and fixes ----

  private addFixes(table: RouteTable): void {
    const counts = new Map<string, { framework: Fw; name: string; count: number; sample: Applied }>();
    for (const { framework, a } of this.applied.values()) {
      const k = `${framework}\u0000${a.info.key ?? a.info.name}\u0000${a.info.optional ? 'optional' : ''}`;
      const c = counts.get(k);
      if (c) c.count++;
      else counts.set(k, { framework, name: a.info.name, count: 1, sample: a });
    }
    const used = [...counts.values()].sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    table.guardsUsed = used.map(({ framework, name, count }) => ({ framework, name, count }));
    for (const route of table.routes) {
      if (route.guards.some((g) => !g.optional)) continue;
      // Authentication first; role checks (which only answer 403) after.
      const candidates = used.filter((u) => u.framework === route.framework && !u.sample.info.optional).sort((a, b) => Number(a.sample.info.why.startsWith('rejects')) - Number(b.sample.info.why.startsWith('rejects')));
      for (const cand of candidates) {
        const fix = this.fixFor(route, cand.sample);
        if (fix) {
          route.protect = fix;
          break;
        }
      }
    }
  }

  private fixFor(route: HttpRoute, g: Applied): HttpRoute['protect'] {
    const f = this.mods.facts.get(route.file);
    const r = f?.routes.find((x) => x.span.start === route.span.start && x.span.end === route.span.end);
    if (!f || !r) return undefined;
    let code = renderArg(g.arg);
    if (!code) return undefined;
    const edits: ProtectEdit[] = [];
    let base = /^[A-Za-z_$][\w$]*/.exec(code)?.[0];
    if (route.framework === 'fastify' && g.arg.kind === 'member' && /^[A-Za-z_$][\w$]*\.[\w$]+$/.test(code) && /^[A-Za-z_$][\w$]*$/.test(r.receiver)) {
      // A decorated guard (`fastify.authenticate`) is reached through the route's own instance.
      code = `${r.receiver}${code.slice(code.indexOf('.'))}`;
      base = undefined;
    }
    if (route.framework === 'fastify') {
      const e = this.fastifyEdit(r, code);
      if (!e) return undefined;
      edits.push(...e.map((x) => ({ file: route.file, ...x })));
    } else {
      const handler = r.args[r.args.length - 1];
      if (!handler) return undefined;
      edits.push({ file: route.file, span: { start: handler.span.start, end: handler.span.start }, newText: `${code}, ` });
    }
    // Names inside the guard's arguments (`jwt({ secret })`) must already be in scope: only the guard itself is imported.
    for (const x of freeNames(g.arg)) if (x !== base && x !== r.receiver && !(route.framework === 'fastify' && base === undefined) && !this.inScope(route.file, x)) return undefined;
    if (base && !this.inScope(route.file, base)) {
      const imp = this.importEdit(route.file, g.file, base);
      if (!imp) return undefined;
      edits.unshift(imp);
    }
    return { guard: displayName(g.arg), edits };
  }

  private fastifyEdit(r: TsRoute, code: string): { span: Span; newText: string }[] | undefined {
    const opts = r.via === 'fastify-route' ? r.args[0] : r.args.length >= 2 && r.args[0]?.kind === 'object' ? r.args[0] : undefined;
    if (!opts) {
      const handler = r.args[r.args.length - 1];
      if (!handler || r.via !== 'call') return undefined;
      return [{ span: { start: handler.span.start, end: handler.span.start }, newText: `{ onRequest: [${code}] }, ` }];
    }
    const existing = opts.props?.onRequest ?? opts.props?.preHandler;
    if (existing?.kind === 'array') {
      const end = existing.span.end - 1;
      return [{ span: { start: end, end }, newText: (existing.args?.length ? ', ' : '') + code }];
    }
    if (existing) {
      return [
        { span: { start: existing.span.start, end: existing.span.start }, newText: '[' },
        { span: { start: existing.span.end, end: existing.span.end }, newText: `, ${code}]` },
      ];
    }
    const at = opts.span.start + 1;
    const empty = Object.keys(opts.props ?? {}).length === 0 && opts.span.end - opts.span.start <= 3;
    return [{ span: { start: at, end: at }, newText: empty ? ` onRequest: [${code}] ` : ` onRequest: [${code}],` }];
  }

  private inScope(file: string, name: string): boolean {
    const f = this.mods.facts.get(file);
    if (!f) return false;
    return !!this.mods.importOf(file, name) || f.functions.some((x) => x.name === name) || f.values.some((x) => x.name === name) || f.apps.some((x) => x.name === name);
  }

  /** The import of `name` into `file`, as the guard's own file imports or defines it. */
  private importEdit(file: string, guardFile: string, name: string): ProtectEdit | undefined {
    const f = this.mods.facts.get(file);
    if (!f) return undefined;
    let spec: string | undefined;
    let isDefault = false;
    const im = this.mods.importOf(guardFile, name);
    // ESM projects that write `.js` in relative specifiers: as the route's file does, else as the guard's file does.
    const relative = (imports: { module: string }[]): { module: string }[] => imports.filter((i) => /^\.\.?\//.test(i.module));
    const own = relative(f.imports);
    const keepJs = (own.length ? own : relative(this.mods.facts.get(guardFile)?.imports ?? [])).some((i) => /\.js$/.test(i.module));
    if (im) {
      const target = this.mods.resolve(guardFile, im.imp.module);
      spec = target ? relativeSpecifier(file, target, keepJs) : im.imp.module;
      isDefault = im.imported === 'default';
      if (im.imported === '*') return undefined;
      if (!isDefault && im.imported !== name) name = `${im.imported} as ${name}`;
    } else {
      const gf = this.mods.facts.get(guardFile);
      const exp = gf?.exports.find((e) => e.local === name || e.name === name);
      if (!exp || guardFile === file) return undefined;
      spec = relativeSpecifier(file, guardFile, keepJs);
      isDefault = exp.name === 'default';
    }
    // Top-level imports only: a `require` inside a function has no statement span.
    const statics = f.imports.filter((i) => i.kind === 'import' || (i.kind === 'require' && i.statement));
    const cjs = statics.length > 0 && statics.every((i) => i.kind === 'require');
    const local = name.includes(' as ') ? name.split(' as ')[1]! : name;
    const stmt = cjs
      ? isDefault
        ? `const ${local} = require('${spec}');`
        : `const { ${name.replace(' as ', ': ')} } = require('${spec}');`
      : isDefault
        ? `import ${local} from '${spec}';`
        : `import { ${name} } from '${spec}';`;
    const last = statics.map((i) => ({ span: i.statement ?? i.span })).reduce<{ span: Span } | undefined>((m, i) => (!m || i.span.end > m.span.end ? i : m), undefined);
    if (!last) return { file, span: { start: 0, end: 0 }, newText: `${stmt}\n` };
    const end = last.span.end;
    return { file, span: { start: end, end }, newText: `\n${stmt}` };
  }
}

function dedupe(xs: Applied[]): Applied[] {
  const seen = new Set<string>();
  return xs.filter((a) => {
    const k = `${a.file}:${a.span.start}:${a.span.end}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The table, or the linker's exception (callers that link in parts decide what a failure means for the whole). */
export function linkTsOrThrow(files: readonly SourceFile[], settings: LinkSettings): RouteTable {
  return new Linker(new Modules(files), settings).run();
}

export function linkTs(files: readonly SourceFile[], settings: LinkSettings): RouteTable {
  try {
    return linkTsOrThrow(files, settings);
  } catch {
    // Linking never fails a scan: the table is just empty.
    return emptyTable();
  }
}
