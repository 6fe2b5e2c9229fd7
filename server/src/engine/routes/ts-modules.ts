// Module resolution for the TS/JS route linker: relative import specifiers to workspace files
// (extensions, `/index`, `.js` written for a `.ts` source), `export … from` re-exports,
// CommonJS `module.exports`/`exports.x`, and tsconfig-free `@/…`/`~/…` aliases to `src/`.
// Every walk is depth-bounded, so import cycles end.
import type { RouteFactsTs, TsArg, TsImport } from '../parse/routes-ts';
import type { SourceFile, Span } from '../types';

const EXTS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const MAX_DEPTH = 12;

/** What a name resolves to. */
export type Target =
  | { t: 'node'; file: string; name: string; pos: number }
  | { t: 'fn'; file: string; name: string; span: Span }
  | { t: 'value'; file: string; arg: TsArg }
  | { t: 'external'; module: string; imported: string }
  | { t: 'module'; file: string };

export function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

export function joinPath(dir: string, rel: string): string {
  const out: string[] = dir ? dir.split('/') : [];
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return out.join('/');
}

/** The relative specifier from one file to another, without extension (`./auth`, `../middleware/auth`). */
export function relativeSpecifier(from: string, to: string, keepJsExt: boolean): string {
  const a = dirOf(from).split('/').filter(Boolean);
  const b = to.split('/');
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  const up = a.length - i;
  let rest = b.slice(i).join('/');
  rest = rest.replace(/\.[cm]?[jt]sx?$/, keepJsExt ? '.js' : '').replace(keepJsExt ? /$^/ : /\/index$/, '');
  return (up === 0 ? './' : '../'.repeat(up)) + rest;
}

/** The paths a specifier's base may name, in the order they are tried: itself, with an extension, its `index`. */
export function probeCandidates(base: string): string[] {
  const stem = base.replace(/\.(?:js|jsx|mjs|cjs)$/, '');
  return [base, ...EXTS.map((e) => stem + e), ...EXTS.map((e) => `${base}/index${e}`)];
}

export class Modules {
  readonly facts = new Map<string, RouteFactsTs>();
  private readonly paths = new Set<string>();
  private readonly resolved = new Map<string, string | null>();

  constructor(files: readonly SourceFile[]) {
    for (const f of files) this.paths.add(f.path);
    for (const f of files) {
      if (!f.facts.routesTs) continue;
      // Compiled `.js` next to its `.ts` source is the same module: only the source counts.
      const m = /^(.*)\.(?:js|mjs|cjs|jsx)$/.exec(f.path);
      if (m && (this.paths.has(m[1] + '.ts') || this.paths.has(m[1] + '.tsx'))) continue;
      this.facts.set(f.path, f.facts.routesTs);
    }
  }

  /** The directory of the nearest package.json above a file ('' for the root). */
  packageOf(file: string): string {
    let d = dirOf(file);
    for (;;) {
      if (this.paths.has(d ? `${d}/package.json` : 'package.json')) return d;
      if (!d) return '';
      d = dirOf(d);
    }
  }

  /** The workspace file a specifier names from `from`, or undefined (a package, or not found). */
  resolve(from: string, spec: string): string | undefined {
    const key = `${from}\u0000${spec}`;
    const hit = this.resolved.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const r = this.resolveUncached(from, spec);
    this.resolved.set(key, r ?? null);
    return r;
  }

  private resolveUncached(from: string, spec: string): string | undefined {
    let base: string;
    if (spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..') base = joinPath(dirOf(from), spec);
    else if (/^[@~]\//.test(spec)) {
      // Common aliases for the source root: try `src/` below each ancestor directory.
      const rest = spec.slice(2);
      const parts = dirOf(from).split('/').filter(Boolean);
      for (let i = parts.length; i >= 0; i--) {
        const cand = this.probe(joinPath(parts.slice(0, i).join('/'), 'src/' + rest));
        if (cand) return cand;
      }
      return undefined;
    } else return undefined;
    return this.probe(base);
  }

  private probe(base: string): string | undefined {
    const cands = probeCandidates(base);
    // A `.ts` source wins over compiled `.js` next to it.
    for (const c of cands) if (this.facts.has(c) && !/\.(?:js|jsx|mjs|cjs)$/.test(c)) return c;
    for (const c of cands) if (this.facts.has(c) || this.paths.has(c)) return c;
    return undefined;
  }

  /** The import (and name) binding `local` in `file`. */
  importOf(file: string, local: string): { imp: TsImport; imported: string } | undefined {
    const f = this.facts.get(file);
    if (!f) return undefined;
    for (const imp of f.imports) {
      if (imp.default === local) return { imp, imported: 'default' };
      if (imp.namespace === local) return { imp, imported: '*' };
      const n = imp.named.find((x) => x.local === local);
      if (n) return { imp, imported: n.imported };
    }
    return undefined;
  }

  /** What `name` means in `file`: a local app/router, function, value, or what an import names. */
  resolveName(file: string, name: string, pos = Number.MAX_SAFE_INTEGER, depth = 0): Target | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const f = this.facts.get(file);
    if (!f) return undefined;
    // The nearest preceding creation with that name (factories reuse `router`).
    const starts = f.apps.filter((a) => a.name === name).map((a) => a.span.start);
    if (starts.length) {
      const before = starts.filter((s) => s <= pos);
      return { t: 'node', file, name, pos: before.length ? Math.max(...before) : Math.min(...starts) };
    }
    const fn = f.functions.find((x) => x.name === name);
    if (fn) return { t: 'fn', file, name, span: fn.span };
    const v = f.values.find((x) => x.name === name);
    if (v) return { t: 'value', file, arg: v.value };
    const im = this.importOf(file, name);
    if (im) return this.resolveImport(file, im.imp.module, im.imported, depth + 1);
    return undefined;
  }

  resolveImport(file: string, module: string, imported: string, depth: number): Target | undefined {
    const target = this.resolve(file, module);
    if (!target) return { t: 'external', module, imported };
    if (imported === '*') return { t: 'module', file: target };
    return this.resolveExport(target, imported, depth + 1);
  }

  /** What module `file` exports as `name`. */
  resolveExport(file: string, name: string, depth = 0): Target | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const f = this.facts.get(file);
    if (!f) return undefined;
    for (const e of f.exports) {
      if (e.name !== name) continue;
      if (e.kind === 'reexport' && e.from) return this.resolveImport(file, e.from, e.local ?? name, depth + 1);
      if (e.local) return this.resolveName(file, e.local, Number.MAX_SAFE_INTEGER, depth + 1);
      if (e.value) return { t: 'value', file, arg: e.value };
    }
    // `module.exports = { a, b }` read as a default import: the module itself.
    if (name === 'default' && f.exports.some((e) => e.kind === 'commonjs' && e.name !== 'default')) return { t: 'module', file };
    for (const e of f.exports) {
      if (e.kind !== 'reexport' || e.name !== '*' || !e.from) continue;
      const r = this.resolveImport(file, e.from, name, depth + 1);
      if (r && r.t !== 'external') return r;
    }
    return undefined;
  }

  /** What `a.b` means when `a` is a module namespace (or a required CommonJS object). */
  resolveMember(file: string, text: string, depth = 0): Target | undefined {
    const m = /^([A-Za-z_$][\w$]*)\.([A-Za-z_$][\w$]*)$/.exec(text);
    if (!m) return undefined;
    const base = this.resolveName(file, m[1]!, Number.MAX_SAFE_INTEGER, depth + 1);
    if (base?.t === 'module') return this.resolveExport(base.file, m[2]!, depth + 1);
    if (base?.t === 'external') return { t: 'external', module: base.module, imported: m[2]! };
    return undefined;
  }
}
