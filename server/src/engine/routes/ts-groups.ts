// The Express/Koa/Hono/Fastify table of a root, linked in independent groups so that an edit
// re-links only the group it is in (the editor re-runs the rules on every keystroke).
//
// Why groups by package, joined where linking can cross them: what the TS linker reads about a
// file comes from the file list through a few channels only, and each is followed here:
// - module resolution (link-ts.ts, ts-modules.ts): a relative specifier probes paths below one
//   base; a `@/`/`~/` alias probes `src/` below each ancestor directory until one exists;
//   `require('x')`/`import('x')` arguments resolve the same way. The groups owning every probed
//   path are joined with the importer's, whether or not the probe hits, so a file added in another
//   group that would make an import resolve is already in the importer's group.
// - `@fastify/autoload` scans every file below a directory: the groups below it are joined.
// - Fastify `decorate('name', …)` is looked up root-wide by name (ts-guards.ts): a group declaring a
//   name is joined with every group whose code has a member access ending in that name.
// - Hono entry detection compares packages (nearest package.json): a package is one group.
// - The protect fix proposes the root's most used guard of the route's framework, counted over the
//   whole root: after linking, groups where a route without a guard could be offered a guard
//   another group uses are joined and linked again.
// Linking a group (the union of groups closed under these channels) then gives exactly the
// routes, unmounted routers and apps the whole root gives for its files. Order: routes are sorted
// by file in the final merge; apps and unmounted routers follow the linker's node order, which is
// creation order: app creations file by file, then function nodes in the order of the file whose
// registrations created them. The linker tells each entry's origin (pass and file), and a stable
// sort by (pass, file position) interleaves the groups as one run would.
// A cheaper partition (one group per service root) would not see imports across services.
import type { RouteFactsTs, TsArg } from '../parse/routes-ts';
import type { SourceFile } from '../types';
import { linkTsOrThrow, originOf } from './link-ts';
import { emptyTable, isProtected, type HttpFramework, type LinkSettings, type RouteTable } from './model';
import { dirOf, joinPath, probeCandidates } from './ts-modules';

/** What a file's facts tell about the files its linking can read (independent of its path: facts are shared by content). */
interface Reach {
  specs: string[];
  autoload: string[];
  decorates: string[];
  members: string[];
}

const reaches = new WeakMap<RouteFactsTs, Reach>();

function isRelative(spec: string): boolean {
  return spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..';
}

function isAlias(spec: string): boolean {
  return /^[@~]\//.test(spec);
}

function reachOf(f: RouteFactsTs): Reach {
  const hit = reaches.get(f);
  if (hit) return hit;
  const specs = new Set<string>();
  const members = new Set<string>();
  for (const i of f.imports) specs.add(i.module);
  for (const e of f.exports) if (e.from) specs.add(e.from);
  // Every argument the TS linker reads (NestJS and Next.js facts are not its): `require('./r')`/`import('./r')` and member accesses (`app.authenticate`).
  const roots: (TsArg | undefined)[] = [
    ...f.exports.map((e) => e.value),
    ...f.values.map((v) => v.value),
    ...f.routes.flatMap((r) => [...r.args, ...Object.values(r.hooks ?? {}).flat()]),
    ...f.uses.flatMap((u) => u.args),
    ...f.hooks.flatMap((h) => h.args),
    ...f.registers.flatMap((r) => [r.plugin, r.options]),
    ...f.calls.flatMap((c) => [c.callee, ...c.args]),
    ...f.decorates.map((d) => d.value),
  ];
  const stack = roots.filter((a): a is TsArg => a !== undefined);
  while (stack.length) {
    const a = stack.pop()!;
    if (a.kind === 'member') members.add(a.text.slice(a.text.lastIndexOf('.') + 1));
    if (a.kind === 'call' && (a.text === 'require' || a.text === 'import') && a.args?.[0]?.kind === 'string') specs.add(a.args[0].text);
    if (a.args) stack.push(...a.args);
    if (a.props) stack.push(...Object.values(a.props));
  }
  const autoload: string[] = [];
  for (const reg of f.registers) {
    const d = reg.options?.props?.dir;
    const parts = d?.kind === 'string' ? [d.text] : (d?.args ?? []).filter((a) => a.kind === 'string').map((a) => a.text);
    if (parts.length) autoload.push(parts.join('/'));
  }
  const r: Reach = { specs: [...specs].filter((s) => isRelative(s) || isAlias(s)), autoload, decorates: f.decorates.map((d) => d.name), members: [...members] };
  reaches.set(f, r);
  return r;
}

export class UnionFind {
  private readonly parent = new Map<string, string>();
  find(x: string): string {
    let p = this.parent.get(x) ?? x;
    if (p === x) return x;
    p = this.find(p);
    this.parent.set(x, p);
    return p;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb, ra);
  }
}

/**
 * The packages whose paths linking a file reads, by file: they depend only on the file's path and
 * facts and on the path list, so they are kept while the path list stays the same (an edit in
 * the editor changes one file's content, not the list).
 */
let touchedBy: { paths: string; byFile: Map<string, { facts: RouteFactsTs; packages: string[] }> } = { paths: '', byFile: new Map() };

/** The groups of a root's files whose TS linking cannot affect each other (before the fix check): packages joined by union-find. */
export function tsGroups(files: readonly SourceFile[]): { uf: UnionFind; groupOf: Map<string, string> } {
  const pathsKey = files.map((f) => f.path).join('\u0000');
  if (touchedBy.paths !== pathsKey) touchedBy = { paths: pathsKey, byFile: new Map() };
  const known = touchedBy.byFile;
  const paths = new Set(files.map((f) => f.path));
  const pkgMemo = new Map<string, string>();
  // The nearest directory at or above `d` with a package.json ('' for the root), as Modules.packageOf decides.
  const pkg = (d: string): string => {
    const known = pkgMemo.get(d);
    if (known !== undefined) return known;
    const r = paths.has(d ? `${d}/package.json` : 'package.json') || !d ? d : pkg(dirOf(d));
    pkgMemo.set(d, r);
    return r;
  };
  const uf = new UnionFind();
  const groupOf = new Map<string, string>();
  for (const f of files) groupOf.set(f.path, pkg(dirOf(f.path)));
  const packages = [...new Set(groupOf.values())];
  const declarers = new Map<string, string[]>();
  const users = new Map<string, string[]>();
  const add = (m: Map<string, string[]>, k: string, v: string): void => {
    const l = m.get(k);
    if (l) l.push(v);
    else m.set(k, [v]);
  };
  for (const f of files) {
    const facts = f.facts.routesTs;
    if (!facts) continue;
    const g = groupOf.get(f.path)!;
    const r = reachOf(facts);
    let seen = known.get(f.path);
    if (seen?.facts !== facts) {
      seen = { facts, packages: touchedPackages(f.path, r, paths, pkg, packages) };
      known.set(f.path, seen);
    }
    for (const p of seen.packages) uf.union(g, p);
    for (const n of r.decorates) add(declarers, n, g);
    for (const n of r.members) add(users, n, g);
  }
  for (const [name, gs] of declarers) for (const x of [...gs.slice(1), ...(users.get(name) ?? [])]) uf.union(gs[0]!, x);
  return { uf, groupOf };
}

/** The packages owning every path that resolving a file's specifiers and autoload directories probes. */
function touchedPackages(file: string, r: Reach, paths: ReadonlySet<string>, pkg: (d: string) => string, packages: readonly string[]): string[] {
  const out = new Set<string>();
  // A probe of `base` reads paths beside it and below it (`base/index.ts`).
  const touch = (base: string): void => {
    out.add(pkg(dirOf(base)));
    out.add(pkg(base));
  };
  const dir = dirOf(file);
  for (const spec of r.specs) {
    if (isRelative(spec)) {
      touch(joinPath(dir, spec));
      continue;
    }
    // An alias tries `src/` below each ancestor, nearest first, until a candidate exists.
    const rest = spec.slice(2);
    const parts = dir.split('/').filter(Boolean);
    for (let i = parts.length; i >= 0; i--) {
      const base = joinPath(parts.slice(0, i).join('/'), 'src/' + rest);
      touch(base);
      if (probeCandidates(base).some((c) => paths.has(c))) break;
    }
  }
  for (const d of r.autoload) {
    const base = joinPath(dir, d);
    touch(base);
    for (const p of packages) if (p.startsWith(base + '/')) out.add(p);
  }
  return [...out];
}

/** Linked tables by content key, kept for the last few computations only. */
export class TableCache {
  private readonly entries = new Map<string, { gen: number; table: RouteTable }>();
  private gen = 0;

  get(key: string, compute: () => RouteTable): RouteTable {
    const e = this.entries.get(key);
    if (e) {
      e.gen = this.gen;
      return e.table;
    }
    const table = compute();
    this.entries.set(key, { gen: this.gen, table });
    return table;
  }

  /** Ends one computation: entries unused for `keep` computations go (a session with several roots computes one table per root). */
  sweep(keep: number): void {
    for (const [k, e] of this.entries) if (e.gen < this.gen - keep + 1) this.entries.delete(k);
    this.gen++;
  }

  get size(): number {
    return this.entries.size;
  }
}

function groupKey(files: readonly SourceFile[], settings: LinkSettings): string {
  const parts: string[] = ['ts', settings.authGuards.join('\u0000')];
  for (const f of files) parts.push(f.facts.routesTs ? `${f.path}\u0001${f.hash}` : f.path);
  return parts.join('\u0000');
}

/** Groups where a route without a guard could be offered a guard another group uses (the fix ranks guards root-wide). */
function fixCoupled(tables: Map<string, RouteTable>): string[][] {
  const used = new Map<HttpFramework, Set<string>>();
  const bare = new Map<HttpFramework, Set<string>>();
  const note = (m: Map<HttpFramework, Set<string>>, fw: HttpFramework, g: string): void => {
    const s = m.get(fw);
    if (s) s.add(g);
    else m.set(fw, new Set([g]));
  };
  for (const [g, t] of tables) {
    for (const u of t.guardsUsed) note(used, u.framework, g);
    for (const r of t.routes) if (!isProtected(r)) note(bare, r.framework, g);
  }
  const out: string[][] = [];
  for (const [fw, gs] of bare) {
    const us = used.get(fw);
    if (!us) continue;
    if ([...gs].some((g) => [...us].some((u) => u !== g))) out.push([...new Set([...gs, ...us])]);
  }
  return out;
}

/** The TS linker's table for a root, linked group by group through the cache; equal to linkTs(files) after the final merge's route sort. */
export function linkTsGrouped(files: readonly SourceFile[], settings: LinkSettings, cache: TableCache): { table: RouteTable; key: string } {
  const { uf, groupOf } = tsGroups(files);
  const tables = new Map<string, RouteTable>();
  const keys: string[] = [];
  for (;;) {
    const members = new Map<string, SourceFile[]>();
    for (const f of files) {
      const root = uf.find(groupOf.get(f.path)!);
      const list = members.get(root);
      if (list) list.push(f);
      else members.set(root, [f]);
    }
    tables.clear();
    keys.length = 0;
    try {
      for (const [root, list] of members) {
        if (!list.some((f) => f.facts.routesTs)) continue;
        const key = groupKey(list, settings);
        keys.push(key);
        tables.set(root, cache.get(key, () => linkTsOrThrow(list, settings)));
      }
    } catch {
      // Linking never fails a scan: as linkTs, a failure empties the whole TS table.
      return { table: emptyTable(), key: `failed\u0000${keys.join('\u0002')}` };
    }
    const coupled = fixCoupled(tables);
    if (!coupled.length) break;
    for (const gs of coupled) for (const g of gs.slice(1)) uf.union(gs[0]!, g);
  }
  return { table: combine(files, [...tables.values()]), key: keys.join('\u0002') };
}

/** The groups' tables as one, apps and unmounted routers in the order one linker run over all files gives. */
function combine(files: readonly SourceFile[], tables: RouteTable[]): RouteTable {
  if (tables.length === 1) return tables[0]!;
  const index = new Map<string, number>();
  files.forEach((f, i) => index.set(f.path, i));
  const n = files.length;
  // Every entry of a linkTs table has an origin; were one missing, the end of the list keeps the group's order.
  const rank = (e: object): number => {
    const o = originOf(e);
    return o ? o.phase * (n + 1) + (index.get(o.file) ?? n) : 2 * (n + 1);
  };
  const ordered = <T extends object>(xs: T[]): T[] =>
    xs
      .map((x) => ({ x, r: rank(x) }))
      .sort((a, b) => a.r - b.r)
      .map((p) => p.x);
  return {
    routes: tables.flatMap((t) => t.routes),
    unmounted: ordered(tables.flatMap((t) => t.unmounted)),
    guardsUsed: tables.flatMap((t) => t.guardsUsed),
    apps: ordered(tables.flatMap((t) => t.apps)),
  };
}
