// The root's route table: every linker's table merged, computed once per file list (every
// http/* rule of one run reads the same table).
import type { SourceFile } from '../types';
import { linkNest } from './link-nest';
import { linkNext } from './link-next';
import { linkPython } from './link-py';
import { linkTs } from './link-ts';
import type { LinkSettings, RouteTable } from './model';

export * from './model';

const memo = new WeakMap<readonly SourceFile[], { key: string; table: RouteTable }>();
/** The last table by content: an editor session re-runs the rules with a new file list per edit, mostly unchanged. */
let last: { key: string; table: RouteTable } | undefined;

/**
 * What the linkers read: every path (imports resolve against the file list) and the content
 * hash of every file with route facts.
 */
function contentKey(files: readonly SourceFile[], settings: LinkSettings): string {
  const parts: string[] = [settings.authGuards.join('\u0000')];
  for (const f of files) parts.push(f.facts.routesTs || f.facts.routesPy ? `${f.path}\u0001${f.hash}` : f.path);
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

/** The linked routes of one root's files. */
export function routeTable(files: readonly SourceFile[], settings: LinkSettings): RouteTable {
  const key = settings.authGuards.join('\u0000');
  const hit = memo.get(files);
  if (hit && hit.key === key) return hit.table;
  const content = contentKey(files, settings);
  const table = last?.key === content ? last.table : merge([linkTs(files, settings), linkNest(files, settings), linkNext(files, settings), linkPython(files, settings)]);
  last = { key: content, table };
  memo.set(files, { key, table });
  return table;
}
