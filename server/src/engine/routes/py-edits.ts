// Paths and text edits shared by the Python linkers: joined route paths, indentation from line
// starts, import lines in the file's style (relative when it uses relative imports, else the
// absolute module the project already imports the target by).
import type { ProtectEdit } from './model';
import type { PyFile, PyIndex } from './py-modules';

/** Joins path parts: leading `/`, single slashes, no trailing slash except for the root. */
export function joinPaths(...parts: string[]): string {
  const segs = parts.flatMap((p) => p.split('/')).filter((s) => s.length > 0);
  return `/${segs.join('/')}`;
}

export function lineIndent(file: PyFile, offset: number): string {
  let line = 0;
  let lo = 0;
  let hi = file.lineStarts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (file.lineStarts[mid]! <= offset) {
      line = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ' '.repeat(offset - (file.lineStarts[line] ?? 0));
}

/** Edit adding `from <module> import <names>` after the file's last top-level import (or at its top). */
export function importEdit(file: PyFile, module: string, names: string[]): ProtectEdit {
  const imports = file.facts.imports.filter((i) => lineIndent(file, i.span.start) === '');
  const last = imports.reduce<(typeof imports)[number] | undefined>((a, b) => (!a || b.span.end > a.span.end ? b : a), undefined);
  const line = `from ${module} import ${names.join(', ')}`;
  if (last) return { file: file.path, span: { start: last.span.end, end: last.span.end }, newText: `\n${line}` };
  return { file: file.path, span: { start: 0, end: 0 }, newText: `${line}\n` };
}

const absoluteMemo = new WeakMap<PyIndex, Map<string, string | null>>();

/** The absolute module the project imports `target` by most often (once per index and target: fixes ask for it per route). */
function absoluteImportOf(index: PyIndex, target: string): string | undefined {
  let memo = absoluteMemo.get(index);
  if (!memo) absoluteMemo.set(index, (memo = new Map()));
  const hit = memo.get(target);
  if (hit !== undefined) return hit ?? undefined;
  const counts = new Map<string, number>();
  for (const other of index.files.values()) {
    for (const i of other.facts.imports) {
      if (i.module.startsWith('.')) continue;
      if (index.resolveModule(other.path, i.module) === target) counts.set(i.module, (counts.get(i.module) ?? 0) + 1);
    }
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  memo.set(target, best ? best[0] : null);
  return best?.[0];
}

/** How a file imports project modules: relative (`from .x import y`) or absolute (`from app.x import y`); undefined when it does neither. */
function styleOf(index: PyIndex, file: string): 'relative' | 'absolute' | undefined {
  let rel = 0;
  let abs = 0;
  for (const i of index.files.get(file)?.facts.imports ?? []) {
    if (i.module.startsWith('.')) rel++;
    else if (index.resolveModule(file, i.module)) abs++;
  }
  return rel > abs ? 'relative' : abs > rel ? 'absolute' : undefined;
}

const projectStyleMemo = new WeakMap<PyIndex, 'relative' | 'absolute' | undefined>();

function projectStyle(index: PyIndex): 'relative' | 'absolute' | undefined {
  if (projectStyleMemo.has(index)) return projectStyleMemo.get(index);
  let rel = 0;
  let abs = 0;
  for (const f of index.files.keys()) {
    const st = styleOf(index, f);
    if (st === 'relative') rel++;
    else if (st === 'absolute') abs++;
  }
  const style = rel > abs ? 'relative' : abs > rel ? 'absolute' : undefined;
  projectStyleMemo.set(index, style);
  return style;
}

/**
 * The module string to import a project file from `from`, in the file's style (else the project's; else relative inside a
 * package, absolute outside one): relative from the file's package, or the absolute module the project already uses.
 */
export function moduleFor(index: PyIndex, from: string, target: string): string {
  const dir = from.split('/').slice(0, -1).join('/');
  const inPackage = index.files.has(dir ? `${dir}/__init__.py` : '__init__.py');
  const style = styleOf(index, from) ?? projectStyle(index) ?? (inPackage ? 'relative' : 'absolute');
  if (style === 'relative') return index.relativeModule(from, target);
  return absoluteImportOf(index, target) ?? guessAbsolute(index, from, target);
}

/** The absolute module of `target` seen from a script outside any package: leading directories that are not packages are dropped. */
function guessAbsolute(index: PyIndex, from: string, target: string): string {
  const parts = target.replace(/\.pyi?$/, '').split('/');
  if (parts[parts.length - 1] === '__init__') parts.pop();
  const fromDir = from.split('/').slice(0, -1);
  let i = 0;
  while (i < fromDir.length && i < parts.length - 1 && parts[i] === fromDir[i] && !index.files.has(`${fromDir.slice(0, i + 1).join('/')}/__init__.py`)) i++;
  return parts.slice(i).join('.');
}

/** The import lines `file` needs for the names it does not bind yet, as one edit (several edits at one offset would have no fixed order). */
export function importLines(index: PyIndex, file: PyFile, wanted: readonly { module: string; name: string }[]): ProtectEdit[] {
  const byModule = new Map<string, string[]>();
  for (const w of wanted) {
    if (index.bound(file.path, w.name)) continue;
    const names = byModule.get(w.module) ?? [];
    if (!names.includes(w.name)) names.push(w.name);
    byModule.set(w.module, names);
  }
  if (byModule.size === 0) return [];
  const edits = [...byModule.entries()].map(([m, names]) => importEdit(file, m, names));
  return [{ ...edits[0]!, newText: edits.map((e) => e.newText).join('') }];
}
