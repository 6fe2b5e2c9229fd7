// The root's route table: every linker's table merged, computed once per file list (every
// http/* rule of one run reads the same table). An editor session asks again after every edit
// with a new file list, mostly unchanged: each linker's table is reused while what it reads is
// unchanged, and the TS linker's work is split into independent groups (ts-groups.ts) so that an
// edit re-links only its group. The result equals routeTableUncached (tested).
import type { SourceFile } from '../types';
import { linkNest } from './link-nest';
import { linkNext } from './link-next';
import { linkPython } from './link-py';
import { linkTs } from './link-ts';
import type { LinkSettings, RouteTable } from './model';
import { linkTsGrouped, TableCache } from './ts-groups';

export * from './model';

const memo = new WeakMap<readonly SourceFile[], { key: string; table: RouteTable }>();
/** The last table by content: when no linker's input changed, even the merge is skipped. */
let last: { key: string; table: RouteTable } | undefined;
/** Linked tables (TS groups, NestJS, Next.js, Python) of the last few computations. */
const cache = new TableCache();
/** Computations a cached table survives unused: one per root in a run, so a few roots stay warm. */
const KEEP = 4;

/** What the NestJS and Next.js linkers read: every path (imports resolve against the file list) and the content of every file with TS route facts. */
function tsKey(files: readonly SourceFile[], settings: LinkSettings): string {
  const parts: string[] = [settings.authGuards.join('\u0000')];
  for (const f of files) parts.push(f.facts.routesTs ? `${f.path}\u0001${f.hash}` : f.path);
  return parts.join('\u0000');
}

/** What the Python linker reads: the Python files (PyIndex), with the content of those with route facts. */
function pyKey(files: readonly SourceFile[], settings: LinkSettings): string {
  const parts: string[] = ['py', settings.authGuards.join('\u0000')];
  for (const f of files) if (/\.pyi?$/.test(f.path) && f.facts.kinds.includes('python')) parts.push(f.facts.routesPy ? `${f.path}\u0001${f.hash}` : f.path);
  return parts.join('\u0000');
}

function merge(tables: RouteTable[]): RouteTable {
  const counts = new Map<string, { framework: RouteTable['guardsUsed'][number]['framework']; name: string; count: number }>();
  for (const t of tables) {
    for (const g of t.guardsUsed) {
      const k = `${g.framework}\u0000${g.name}`;
      const c = counts.get(k);
      if (c) c.count += g.count;
      else counts.set(k, { ...g });
    }
  }
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return {
    routes: tables.flatMap((t) => t.routes).sort((a, b) => cmp(a.file, b.file) || a.span.start - b.span.start || cmp(a.method, b.method)),
    unmounted: tables.flatMap((t) => t.unmounted),
    guardsUsed: [...counts.values()].sort((a, b) => cmp(a.framework, b.framework) || b.count - a.count || cmp(a.name, b.name)),
    apps: tables.flatMap((t) => t.apps),
  };
}

/** Every linker over every file at once, nothing reused: what routeTable must equal. */
export function routeTableUncached(files: readonly SourceFile[], settings: LinkSettings): RouteTable {
  return merge([linkTs(files, settings), linkNest(files, settings), linkNext(files, settings), linkPython(files, settings)]);
}

/** The linked routes of one root's files. */
export function routeTable(files: readonly SourceFile[], settings: LinkSettings): RouteTable {
  const key = settings.authGuards.join('\u0000');
  const hit = memo.get(files);
  if (hit && hit.key === key) return hit.table;
  const ts = linkTsGrouped(files, settings, cache);
  const tk = tsKey(files, settings);
  const pk = pyKey(files, settings);
  const content = [ts.key, tk, pk].join('\u0003');
  const nest = cache.get(`nest\u0000${tk}`, () => linkNest(files, settings));
  const next = cache.get(`next\u0000${tk}`, () => linkNext(files, settings));
  const py = cache.get(pk, () => linkPython(files, settings));
  const table = last?.key === content ? last.table : merge([ts.table, nest, next, py]);
  cache.sweep(KEEP);
  last = { key: content, table };
  memo.set(files, { key, table });
  return table;
}

/** Tables held by the cache (for tests: the cache stays bounded). */
export function cachedTables(): number {
  return cache.size;
}
