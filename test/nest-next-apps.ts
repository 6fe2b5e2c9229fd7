// Shared by the NestJS and Next.js linker tests: sample apps as SourceFiles (facts extracted
// the way a scan does), expectations from routes.expected.json, precision/recall.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { extractFacts } from '../server/src/engine/extract';
import { isProtected, type HttpRoute, type RouteTable } from '../server/src/engine/routes/model';
import { configuredPublic, defaultPublicReason } from '../server/src/engine/routes/public';
import { applyEdits, lineStartsOf } from '../server/src/engine/text';
import type { SourceFile } from '../server/src/engine/types';

export const APPS = path.join(__dirname, 'fixtures', 'apps');

export function sourceFile(rel: string, text: string): SourceFile {
  return { root: '/app', path: rel, absPath: `/app/${rel}`, hash: '', size: text.length, facts: extractFacts(rel, text) };
}

/** In-memory files → SourceFiles, plus their texts. */
export function project(files: Record<string, string>): { files: SourceFile[]; text: (p: string) => string } {
  return { files: Object.entries(files).map(([p, t]) => sourceFile(p, t)), text: (p) => files[p] ?? '' };
}

export function loadApp(name: string): { files: SourceFile[]; texts: Map<string, string>; publicRoutes: string[] } {
  const root = path.join(APPS, name);
  const texts = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== 'dist') walk(abs);
      } else if (/\.[cm]?[jt]sx?$/.test(e.name)) texts.set(path.relative(root, abs).split(path.sep).join('/'), fs.readFileSync(abs, 'utf8'));
    }
  };
  walk(root);
  const cfg = path.join(root, '.readiness.yaml');
  const publicRoutes = fs.existsSync(cfg) ? ((parseYaml(fs.readFileSync(cfg, 'utf8')) as { publicRoutes?: string[] } | null)?.publicRoutes ?? []) : [];
  return { files: [...texts].map(([p, t]) => sourceFile(p, t)), texts, publicRoutes };
}

export interface Expected {
  framework: string;
  routes: { method: string; path: string; file: string; line: number; expect: 'protected' | 'unprotected' | 'optional' | 'public' }[];
  unmounted: { file: string; line: number }[];
}

export function expected(name: string): Expected {
  return JSON.parse(fs.readFileSync(path.join(APPS, name, 'routes.expected.json'), 'utf8')) as Expected;
}

export function lineOf(text: string, offset: number): number {
  const starts = lineStartsOf(text);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

export function statusOf(r: HttpRoute, publicRoutes: readonly string[]): 'protected' | 'unprotected' | 'optional' | 'public' {
  if (isProtected(r)) return 'protected';
  if (defaultPublicReason(r.path) || configuredPublic(r, publicRoutes)) return 'public';
  return r.guards.some((g) => g.optional) ? 'optional' : 'unprotected';
}

function pr(actual: Set<string>, want: Set<string>): { precision: number; recall: number; missing: string[]; extra: string[] } {
  const hit = [...actual].filter((x) => want.has(x)).length;
  return {
    precision: actual.size ? hit / actual.size : want.size ? 0 : 1,
    recall: want.size ? hit / want.size : 1,
    missing: [...want].filter((x) => !actual.has(x)),
    extra: [...actual].filter((x) => !want.has(x)),
  };
}

/** Route table and findings (unprotected + optional) against the expectations; prints and asserts ≥ 0.95. */
export function accuracy(name: string, table: RouteTable, texts: Map<string, string>, publicRoutes: readonly string[]): void {
  const exp = expected(name);
  const key = (r: { method: string; path: string; file: string; line: number }): string => `${r.method} ${r.path} ${r.file}:${r.line}`;
  const routes = table.routes.filter((r) => r.framework === exp.framework);
  const actualRoutes = new Set(routes.map((r) => key({ ...r, line: lineOf(texts.get(r.file) ?? '', r.span.start) })));
  const wantRoutes = new Set(exp.routes.map(key));
  const finding = (s: string): boolean => s === 'unprotected' || s === 'optional';
  const actualFindings = new Set(
    routes.filter((r) => finding(statusOf(r, publicRoutes))).map((r) => `${key({ ...r, line: lineOf(texts.get(r.file) ?? '', r.span.start) })} ${statusOf(r, publicRoutes)}`),
  );
  const wantFindings = new Set(exp.routes.filter((r) => finding(r.expect)).map((r) => `${key(r)} ${r.expect}`));
  const a = pr(actualRoutes, wantRoutes);
  const b = pr(actualFindings, wantFindings);
  const u = pr(new Set(table.unmounted.filter((d) => d.framework === exp.framework).map((d) => `${d.file}:${lineOf(texts.get(d.file) ?? '', d.span.start)}`)), new Set(exp.unmounted.map((d) => `${d.file}:${d.line}`)));
  const f2 = (x: number): string => x.toFixed(3);
  console.log(`      ${name}: routes P=${f2(a.precision)} R=${f2(a.recall)} (${routes.length}/${exp.routes.length}); findings P=${f2(b.precision)} R=${f2(b.recall)} (${actualFindings.size}/${wantFindings.size}); unmounted P=${f2(u.precision)} R=${f2(u.recall)}`);
  const detail = JSON.stringify({ routes: { missing: a.missing, extra: a.extra }, findings: { missing: b.missing, extra: b.extra }, unmounted: { missing: u.missing, extra: u.extra } }, null, 1);
  assert.ok(a.precision >= 0.95 && a.recall >= 0.95, `route table: ${detail}`);
  assert.ok(b.precision >= 0.95 && b.recall >= 0.95, `findings: ${detail}`);
  assert.ok(u.precision >= 0.95 && u.recall >= 0.95, `unmounted: ${detail}`);
}

/** A route's protect edits applied to its file. */
export function applyProtect(r: HttpRoute, text: (file: string) => string): Map<string, string> {
  assert.ok(r.protect, `no protect fix for ${r.method} ${r.path}`);
  const out = new Map<string, string>();
  const byFile = new Map<string, { span: { start: number; end: number }; newText: string }[]>();
  for (const e of r.protect.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [f, edits] of byFile) out.set(f, applyEdits(text(f), edits.map((e) => ({ start: e.span.start, end: e.span.end, newText: e.newText }))));
  return out;
}
