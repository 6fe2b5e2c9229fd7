// Python module resolution for the route linker: which file a module name or a relative
// import names, and what a (dotted) name used in a file refers to — a definition in some
// project file, a module, or something external. Follows `from x import y` re-exports through
// package `__init__` files and star imports, with bounded depth (import cycles never loop).
import type { PyImport, PyRouteFacts } from '../parse/routes-py';
import type { SourceFile } from '../types';

export interface PyFile {
  path: string;
  facts: PyRouteFacts;
  lineStarts: number[];
}

/** What a name refers to: a definition (`name` in `file`, `rest` = attributes after it), a module, or an external import. */
export type PySymbol =
  | { kind: 'def'; file: string; name: string; rest: string[] }
  | { kind: 'module'; file: string }
  | { kind: 'external'; module: string; name: string };

const MAX_DEPTH = 8;

const EMPTY: PyRouteFacts = { imports: [], apps: [], routes: [], mounts: [], hooks: [], functions: [], schemes: [], aliases: [], urlpatterns: [], classes: [], routers: [], views: [] };

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

function joinPath(dir: string, rest: string): string {
  return dir ? `${dir}/${rest}` : rest;
}

/** Module path segments of a file: `a/b/c.py` → [a, b, c]; `a/b/__init__.py` → [a, b]. */
function moduleParts(p: string): string[] {
  const parts = p.replace(/\.pyi?$/, '').split('/');
  if (parts[parts.length - 1] === '__init__') parts.pop();
  return parts;
}

function commonPrefix(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return i;
}

export class PyIndex {
  readonly files = new Map<string, PyFile>();
  /** Dotted module suffix → files whose module name ends with it. */
  private readonly bySuffix = new Map<string, string[]>();
  private readonly defined = new Map<string, Set<string>>();

  constructor(sources: readonly SourceFile[]) {
    for (const f of sources) {
      if (!f.facts.kinds.includes('python') || !/\.pyi?$/.test(f.path)) continue;
      // Facts from an older extractor may lack newer lists: every list present.
      this.files.set(f.path, { path: f.path, facts: { ...EMPTY, ...f.facts.routesPy }, lineStarts: f.facts.lineStarts });
      const parts = moduleParts(f.path);
      for (let i = 0; i < parts.length; i++) {
        const key = parts.slice(i).join('.');
        const list = this.bySuffix.get(key);
        if (list) list.push(f.path);
        else this.bySuffix.set(key, [f.path]);
      }
    }
  }

  /** Names bound at module level by definitions (functions, apps/routers, schemes, aliases, classes, views, DRF routers). */
  definedNames(file: string): Set<string> {
    let s = this.defined.get(file);
    if (s) return s;
    s = new Set<string>();
    const f = this.files.get(file)?.facts;
    if (f) {
      for (const x of f.functions) s.add(x.class ?? x.name);
      for (const x of f.views) s.add(x.name);
      for (const x of f.apps) s.add(x.target);
      for (const x of f.schemes) s.add(x.target);
      for (const x of f.aliases) s.add(x.name);
      for (const x of f.classes) s.add(x.name);
      for (const x of f.routers) s.add(x.owner);
    }
    this.defined.set(file, s);
    return s;
  }

  /** The file a module name names, seen from `from` (relative imports keep their leading dots). */
  resolveModule(from: string, module: string): string | undefined {
    const m = /^(\.*)(.*)$/.exec(module)!;
    const dots = m[1]!.length;
    const rest = m[2]!;
    if (dots > 0) {
      let dir = dirOf(from);
      for (let i = 1; i < dots; i++) dir = dirOf(dir);
      const base = rest ? joinPath(dir, rest.split('.').join('/')) : dir;
      for (const cand of [`${base}.py`, `${base}/__init__.py`, `${base}.pyi`]) if (this.files.has(cand)) return cand;
      return undefined;
    }
    const list = this.bySuffix.get(rest);
    if (!list || list.length === 0) return undefined;
    // Several files end with that module name (monorepos, vendored copies): the nearest to the importer.
    let best = list[0]!;
    let bestScore = -1;
    for (const c of list) {
      const score = commonPrefix(from, c) * 1000 - c.length;
      if (score > bestScore) {
        best = c;
        bestScore = score;
      }
    }
    return best;
  }

  /** The module string that imports `target` from `from`, relative: `..core.deps`. */
  relativeModule(from: string, target: string): string {
    const fromDir = dirOf(from).split('/').filter(Boolean);
    const parts = moduleParts(target);
    let common = 0;
    while (common < fromDir.length && common < parts.length && fromDir[common] === parts[common]) common++;
    const ups = fromDir.length - common;
    const rest = parts.slice(common).join('.');
    return '.'.repeat(ups + 1) + rest;
  }

  /** What `dotted` (a name as written in `file`) refers to. */
  resolve(file: string, dotted: string, depth = 0): PySymbol | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const parts = dotted.split('.');
    const head = parts[0]!;
    const f = this.files.get(file);
    if (!f) return undefined;
    if (this.definedNames(file).has(head)) return { kind: 'def', file, name: head, rest: parts.slice(1) };
    // `import a.b` binds `a.b` (the dotted module); `import a.b as m` binds `m`.
    let imp: PyImport | undefined;
    for (const i of f.facts.imports) {
      if (i.local === '*') continue;
      if ((dotted === i.local || dotted.startsWith(`${i.local}.`)) && (!imp || i.local.length >= imp.local.length)) imp = i;
    }
    if (imp) {
      const restParts = dotted === imp.local ? [] : dotted.slice(imp.local.length + 1).split('.');
      return this.follow(file, imp, restParts, depth);
    }
    for (const i of f.facts.imports) {
      if (i.name !== '*') continue;
      const mod = this.resolveModule(file, i.module);
      if (mod && mod !== file && this.definedNames(mod).has(head)) return this.resolve(mod, dotted, depth + 1);
    }
    return undefined;
  }

  private follow(file: string, imp: PyImport, rest: string[], depth: number): PySymbol | undefined {
    if (imp.name === undefined) {
      // `import a.b [as m]`: a module; the rest are names inside it.
      const mod = this.resolveModule(file, imp.module);
      if (!mod) return { kind: 'external', module: imp.module, name: rest.join('.') };
      return rest.length === 0 ? { kind: 'module', file: mod } : this.resolve(mod, rest.join('.'), depth + 1);
    }
    // `from M import N`: N is a submodule, or a name defined (or re-exported) by M.
    const sep = imp.module.endsWith('.') ? '' : '.';
    const sub = this.resolveModule(file, `${imp.module}${sep}${imp.name}`);
    if (sub && sub !== file) return rest.length === 0 ? { kind: 'module', file: sub } : this.resolve(sub, rest.join('.'), depth + 1);
    const mod = this.resolveModule(file, imp.module);
    if (!mod) return { kind: 'external', module: imp.module, name: [imp.name, ...rest].join('.') };
    if (mod === file) return undefined;
    const inner = this.resolve(mod, [imp.name, ...rest].join('.'), depth + 1);
    return inner ?? { kind: 'def', file: mod, name: imp.name, rest };
  }

  /** True when `name` (its first dotted part) is bound in `file`. */
  bound(file: string, name: string): boolean {
    const head = name.split('.')[0]!;
    if (this.definedNames(file).has(head)) return true;
    return (this.files.get(file)?.facts.imports ?? []).some((i) => i.local === head || i.local.split('.')[0] === head);
  }
}
