// Cross-file name resolution over the TS/JS route facts, shared by the NestJS and Next.js
// linkers: relative import specifiers → files, imported names → the file that declares them
// (following re-exports and `export *` barrels, bounded), and, for path aliases the facts
// cannot resolve (`@app/auth`), the unique declaration of that name in the project.
import type { RouteFactsTs, TsImport } from '../parse/routes-ts';
import type { SourceFile } from '../types';

const MAX_HOPS = 6;

export interface Declared {
  file: string;
  name: string;
}

/** Where a name used in a file comes from: a project file's declaration, or an external package. */
export type Resolved = ({ kind: 'local' } & Declared) | { kind: 'external'; module: string; name: string };

export interface TsIndex {
  files: Map<string, RouteFactsTs>;
  resolve(file: string, local: string): Resolved | undefined;
  resolveSpecifier(fromFile: string, spec: string): string | undefined;
  /** The import binding a local name comes from. */
  bindingOf(file: string, local: string): { imp: TsImport; imported: string } | undefined;
}

function stripExt(p: string): string {
  return p.replace(/\.[cm]?[jt]sx?$/i, '');
}

/** Files with route facts; a `.js` beside a `.ts`/`.tsx` of the same name is compiled output and left out. */
export function sourcesWithFacts(files: readonly SourceFile[]): { path: string; facts: RouteFactsTs }[] {
  const ts = new Set(files.filter((f) => /\.(?:ts|tsx|mts|cts)$/i.test(f.path)).map((f) => stripExt(f.path)));
  const out: { path: string; facts: RouteFactsTs }[] = [];
  for (const f of files) {
    if (!f.facts.routesTs) continue;
    if (/\.[cm]?jsx?$/i.test(f.path) && ts.has(stripExt(f.path))) continue;
    out.push({ path: f.path, facts: f.facts.routesTs });
  }
  return out;
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

function joinPath(dir: string, rel: string): string {
  const parts = dir ? dir.split('/') : [];
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/');
}

/** Relative import path from one file to another's module (no extension, `./` first). */
export function relativeImport(fromFile: string, toFile: string): string {
  const from = dirOf(fromFile).split('/').filter((s) => s);
  const to = stripExt(toFile).replace(/\/index$/, '').split('/').filter((s) => s);
  let i = 0;
  while (i < from.length && i < to.length - 1 && from[i] === to[i]) i++;
  const up = from.length - i;
  const rest = to.slice(i).join('/');
  return (up === 0 ? './' : '../'.repeat(up)) + rest;
}

function declares(f: RouteFactsTs, name: string): boolean {
  return (
    f.classes.some((c) => c.name === name) ||
    f.functions.some((fn) => fn.name === name) ||
    f.values.some((v) => v.name === name) ||
    (f.nest?.metadata.some((m) => m.name === name) ?? false) ||
    f.exports.some((e) => e.local === name && e.kind === 'declaration')
  );
}

export function buildIndex(files: readonly { path: string; facts: RouteFactsTs }[]): TsIndex {
  const byPath = new Map(files.map((f) => [f.path, f.facts]));
  const byStem = new Map<string, string>();
  for (const f of files) {
    const stem = stripExt(f.path);
    if (!byStem.has(stem) || /\.tsx?$/.test(f.path)) byStem.set(stem, f.path);
  }
  // Declarations by name for the alias fallback (only names declared exactly once are used).
  const byName = new Map<string, string[]>();
  for (const f of files) {
    const names = new Set([...f.facts.classes.map((c) => c.name), ...f.facts.functions.map((fn) => fn.name), ...(f.facts.nest?.metadata.map((m) => m.name) ?? [])]);
    for (const n of names) {
      if (!n) continue;
      const list = byName.get(n) ?? [];
      list.push(f.path);
      byName.set(n, list);
    }
  }

  const resolveSpecifier = (fromFile: string, spec: string): string | undefined => {
    let base: string;
    if (spec.startsWith('.')) base = joinPath(dirOf(fromFile), spec);
    else if (spec.startsWith('@/') || spec.startsWith('~/')) {
      // The common `@/` alias: src/ when it exists beside the file's tree, else the root.
      const rest = spec.slice(2);
      const src = fromFile.includes('src/') ? fromFile.slice(0, fromFile.indexOf('src/') + 4) : '';
      for (const b of [src + rest, rest]) {
        const hit = byStem.get(stripExt(b)) ?? byStem.get(b + '/index');
        if (hit) return hit;
      }
      return undefined;
    } else return undefined;
    const stem = stripExt(base);
    return byStem.get(base) ?? byStem.get(stem) ?? byStem.get(base + '/index');
  };

  const bindingOf = (file: string, local: string): { imp: TsImport; imported: string } | undefined => {
    const f = byPath.get(file);
    if (!f) return undefined;
    for (const imp of f.imports) {
      if (imp.default === local) return { imp, imported: 'default' };
      const n = imp.named.find((x) => x.local === local);
      if (n) return { imp, imported: n.imported };
    }
    return undefined;
  };

  /** The declaration an exported name of a file stands for. */
  // Star re-exports can branch: a visited set per lookup keeps the walk linear.
  let visited = new Set<string>();
  const fromExport = (file: string, name: string, hops: number): Resolved | undefined => {
    const f = byPath.get(file);
    const key = `${file}#${name}`;
    if (!f || hops > MAX_HOPS || visited.has(key)) return undefined;
    visited.add(key);
    for (const e of f.exports) {
      if (e.name !== name) continue;
      if (e.kind === 'reexport' && e.from) {
        const target = resolveSpecifier(file, e.from);
        if (!target) return { kind: 'external', module: e.from, name: e.local ?? name };
        return fromExport(target, e.local ?? name, hops + 1);
      }
      const local = e.local ?? name;
      if (declares(f, local)) return { kind: 'local', file, name: local };
      return resolveIn(file, local, hops + 1);
    }
    if (declares(f, name)) return { kind: 'local', file, name };
    for (const e of f.exports) {
      if (e.kind !== 'reexport' || e.name !== '*' || !e.from) continue;
      const target = resolveSpecifier(file, e.from);
      const hit = target ? fromExport(target, name, hops + 1) : undefined;
      if (hit) return hit;
    }
    return undefined;
  };

  const resolveIn = (file: string, local: string, hops: number): Resolved | undefined => {
    const f = byPath.get(file);
    if (!f || hops > MAX_HOPS) return undefined;
    if (declares(f, local)) return { kind: 'local', file, name: local };
    const b = bindingOf(file, local);
    if (b) {
      const target = resolveSpecifier(file, b.imp.module);
      if (target) {
        const hit = fromExport(target, b.imported === 'default' ? 'default' : b.imported, hops + 1);
        if (hit) return hit;
      }
      const isPackage = !b.imp.module.startsWith('.') && !b.imp.module.startsWith('@/') && !b.imp.module.startsWith('~/');
      const unique = byName.get(b.imported === 'default' ? local : b.imported);
      // A path alias the facts cannot follow (`@app/auth`): the one declaration of that name.
      if (unique?.length === 1 && !(isPackage && /^@nestjs\/|^next/.test(b.imp.module))) return { kind: 'local', file: unique[0]!, name: b.imported === 'default' ? local : b.imported };
      if (isPackage) return { kind: 'external', module: b.imp.module, name: b.imported };
      return undefined;
    }
    const unique = byName.get(local);
    if (unique?.length === 1) return { kind: 'local', file: unique[0]!, name: local };
    return undefined;
  };

  const memo = new Map<string, Resolved | undefined>();
  const resolve = (file: string, local: string): Resolved | undefined => {
    const key = `${file}#${local}`;
    if (memo.has(key)) return memo.get(key);
    visited = new Set<string>();
    const r = resolveIn(file, local, 0);
    memo.set(key, r);
    return r;
  };
  return { files: byPath, resolve, resolveSpecifier, bindingOf };
}
