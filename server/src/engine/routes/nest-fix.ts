// The NestJS `protect` fix: put the project's most used guard on the route.
// - A route switched off from a global guard by a metadata marker written on the method
//   (`@Public()` on its own line) gets the marker line removed: the global guard applies again.
// - Otherwise `@UseGuards(Guard)` goes on its own line above the HTTP decorator (same
//   indentation), or the guard is appended to the method's existing `@UseGuards(...)`;
//   `UseGuards` joins the file's '@nestjs/common' import and the guard is imported from its
//   module (a relative path to the declaring file, or its package) when not in scope.
import type { ImportStyle, NestMethod, RouteFactsTs, TsDecorator } from '../parse/routes-ts';
import type { HttpRoute, ProtectEdit, ProtectFix } from './model';
import type { NestGuard } from './nest-guards';
import { relativeImport, type TsIndex } from './nest-resolve';

export interface NestRouteMeta {
  m: NestMethod;
  /** Metadata keys set on the route or its controller. */
  keys: Set<string>;
  /** Method-level markers that switched a global guard off, with that guard. */
  markers: { d: TsDecorator; g: NestGuard }[];
}

const DEFAULT_STYLE: ImportStyle = { quote: "'", semi: true, eol: '\n' };

export function inScope(f: RouteFactsTs, name: string): boolean {
  return f.imports.some((i) => i.default === name || i.namespace === name || i.named.some((n) => n.local === name)) || f.classes.some((c) => c.name === name);
}

/** Where a new import line goes: after the last import that binds something. */
function importAnchor(f: RouteFactsTs): number | undefined {
  let end: number | undefined;
  for (const i of f.imports) {
    if (i.kind !== 'import' || !(i.default || i.namespace || i.named.length)) continue;
    end = end === undefined ? i.span.end : Math.max(end, i.span.end);
  }
  return end;
}

export interface WantedImport {
  /** The local name the code uses. */
  name: string;
  module: string;
  /** A default import (`import withAuth from '…'`). */
  isDefault?: boolean;
  /** The exported name when it differs from the local one (`import { requireAuth as withAuth }`). */
  imported?: string;
}

function importLine(style: ImportStyle, w: WantedImport): string {
  const binding = w.isDefault ? w.name : `{ ${w.imported && w.imported !== w.name ? `${w.imported} as ${w.name}` : w.name} }`;
  return `import ${binding} from ${style.quote}${w.module}${style.quote}${style.semi ? ';' : ''}`;
}

/** Edits that bring names into scope of a file: joined to an import of the same module, or new import lines after the last import. */
export function importEdits(f: RouteFactsTs, file: string, wanted: WantedImport[]): ProtectEdit[] {
  const style = f.style ?? DEFAULT_STYLE;
  const edits: ProtectEdit[] = [];
  const lines: string[] = [];
  for (const w of wanted) {
    if (inScope(f, w.name)) continue;
    const same = w.isDefault || (w.imported && w.imported !== w.name) ? undefined : f.imports.find((i) => i.kind === 'import' && i.module === w.module && i.namedSpan && !i.typeOnly);
    if (same?.namedSpan) edits.push({ file, span: { start: same.namedSpan.start + 1, end: same.namedSpan.start + 1 }, newText: ` ${w.name},` });
    else lines.push(importLine(style, w));
  }
  if (lines.length) {
    const at = importAnchor(f);
    if (at === undefined) edits.push({ file, span: { start: 0, end: 0 }, newText: lines.map((l) => l + style.eol).join('') });
    else edits.push({ file, span: { start: at, end: at }, newText: lines.map((l) => style.eol + l).join('') });
  }
  return edits;
}

export function nestProtect(idx: TsIndex, r: HttpRoute, meta: NestRouteMeta, candidates: readonly NestGuard[]): ProtectFix | undefined {
  const f = idx.files.get(r.file);
  if (!f) return undefined;
  // Removing a method-level marker lets the global guard it switched off apply again.
  const strong = meta.markers.filter((x) => !x.g.optional);
  if (strong.length && strong.every((x) => x.d.line)) {
    const seen = new Set<number>();
    const edits: ProtectEdit[] = [];
    for (const { d } of strong) {
      if (seen.has(d.line!.start)) continue;
      seen.add(d.line!.start);
      edits.push({ file: r.file, span: d.line!, newText: '' });
    }
    return { guard: strong[0]!.g.name, edits };
  }
  const g = candidates.find((c) => !c.middleware && !c.reflects.some((k) => meta.keys.has(k)) && (c.from || inScope(f, c.importName ?? c.name)));
  if (!g) return undefined;
  const style = f.style ?? DEFAULT_STYLE;
  const name = g.name.replace(/'/g, style.quote);
  const edits: ProtectEdit[] = [];
  const existing = meta.m.decorators.find((d) => d.name === 'UseGuards' && d.args.length);
  if (existing) {
    const last = existing.args[existing.args.length - 1]!;
    edits.push({ file: r.file, span: { start: last.span.end, end: last.span.end }, newText: `, ${name}` });
  } else {
    const d = meta.m.decorators.find((x) => x.span.start === meta.m.span.start);
    const sep = d?.indent !== undefined ? style.eol + d.indent : ' ';
    edits.push({ file: r.file, span: { start: meta.m.span.start, end: meta.m.span.start }, newText: `@UseGuards(${name})${sep}` });
  }
  const wanted: WantedImport[] = [];
  if (!existing) wanted.push({ name: 'UseGuards', module: '@nestjs/common' });
  const importName = g.importName ?? g.name;
  if (g.from && 'file' in g.from) {
    if (g.from.file !== r.file) wanted.push({ name: importName, module: relativeImport(r.file, g.from.file) });
  } else if (g.from) wanted.push({ name: importName, module: g.from.module });
  edits.push(...importEdits(f, r.file, wanted));
  return { guard: g.name, edits };
}
