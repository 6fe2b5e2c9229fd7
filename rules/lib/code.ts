// What source files import, from whichever facts the engine extracted for them, and a
// per-HTTP-service verdict helper for the http/* workspace rules.
import { memoFor, type FileMemoEntry } from '../../server/src/engine/rule-memo';
import type { CheckContext } from '../../server/src/engine/rule';
import { serviceAnchor } from '../../server/src/engine/services';
import type { Evidence, ServiceInfo, SourceFile, Span } from '../../server/src/engine/types';
import { httpServices, type HttpRoute, type RouteTable } from './routes';
import { filesByService, filesOutsideServices, serviceSubject } from './services';

export interface ImportSite {
  /** The module as written: `express-rate-limit`, `fastapi.security`, `@nestjs/throttler`. */
  module: string;
  /** Python from-imports: the imported name (`from slowapi import Limiter` → `Limiter`). */
  name?: string;
  file: string;
  span: Span;
}

/** Per file: an editor session keeps unchanged files between runs, so their imports are listed once. */
const importMemo = new WeakMap<object, FileMemoEntry<{ sites: readonly ImportSite[]; keys: readonly (readonly string[])[] }>>();

/**
 * The names a package may have to match the import: the module and the dotted name
 * (`fastapi.security.HTTPBearer`), each cut at every `/` and `.`: a package matches when it is one of them.
 */
function matchKeys(site: ImportSite): string[] {
  const keys = new Set<string>();
  for (const name of site.name ? [site.module, `${site.module}.${site.name}`] : [site.module]) {
    keys.add(name);
    for (let i = 0; i < name.length; i++) {
      const c = name.charCodeAt(i);
      if (c === 47 || c === 46) keys.add(name.slice(0, i)); // '/' or '.'
    }
  }
  return [...keys];
}

function importEntry(file: SourceFile): { sites: readonly ImportSite[]; keys: readonly (readonly string[])[] } {
  return memoFor(importMemo, file, () => {
    const out: ImportSite[] = [];
    for (const i of file.facts.routesTs?.imports ?? []) if (!i.typeOnly) out.push({ module: i.module, file: file.path, span: i.span });
    for (const i of file.facts.routesPy?.imports ?? []) out.push({ module: i.module, ...(i.name ? { name: i.name } : {}), file: file.path, span: i.span });
    // Code facts (parse/code-facts.ts) record imports of files their pre-filter picks; skip those the route facts already gave.
    const codeImports = file.facts.code?.imports ?? [];
    if (codeImports.length > 0) {
      const seen = new Set(out.map((i) => `${i.span.start}:${i.module}`));
      for (const i of codeImports) if (!seen.has(`${i.span.start}:${i.module}`)) out.push({ module: i.module, file: file.path, span: i.span });
    }
    return { sites: out, keys: out.map(matchKeys) };
  });
}

/**
 * The first import of any of `pkgs` among `files` (the first of `pkgs` it matches when
 * several do), with the package it matched. An import matches a package that it is, or is a
 * submodule or subpath of (`fastapi.security` of `fastapi`, `@sentry/node/x` of `@sentry/node`).
 */
export function findImport(files: readonly SourceFile[], pkgs: readonly string[]): (ImportSite & { pkg: string }) | undefined {
  const list = pkgs.join('\u0000');
  let perFile = firstImportMemo.get(list);
  if (!perFile) firstImportMemo.set(list, (perFile = new WeakMap()));
  let rank: Map<string, number> | undefined;
  for (const f of files) {
    const found = memoFor(perFile, f, () => firstImportIn(f, pkgs, (rank ??= rankOf(pkgs))));
    if (found) return found;
  }
  return undefined;
}

/** Per package list, per file: the file's first import of one of the packages (the lists are the rules' own: a few). */
const firstImportMemo = new Map<string, WeakMap<object, FileMemoEntry<(ImportSite & { pkg: string }) | null>>>();

function rankOf(pkgs: readonly string[]): Map<string, number> {
  const rank = new Map<string, number>();
  pkgs.forEach((p, i) => {
    if (!rank.has(p)) rank.set(p, i);
  });
  return rank;
}

function firstImportIn(f: SourceFile, pkgs: readonly string[], rank: Map<string, number>): (ImportSite & { pkg: string }) | null {
  const { sites, keys } = importEntry(f);
  for (let s = 0; s < sites.length; s++) {
    let best = -1;
    for (const k of keys[s]!) {
      const r = rank.get(k);
      if (r !== undefined && (best < 0 || r < best)) best = r;
    }
    if (best >= 0) return { ...sites[s]!, pkg: pkgs[best]! };
  }
  return null;
}

export interface HttpServiceView {
  /** Undefined when the root has no detected service (the repository answers). */
  service: ServiceInfo | undefined;
  /** Service name ('' when the root has no detected service). */
  name: string;
  label: string;
  files: SourceFile[];
  routes: HttpRoute[];
  apps: RouteTable['apps'];
  anchor: { file: string; span: Span };
}

/** Every service that serves HTTP, with its files, routes and where its findings point. */
export function httpServiceViews(ctx: CheckContext): HttpServiceView[] {
  // Seven http/* rules ask in every run (every keystroke in the editor): computed once per run.
  return ctx.shared('http-service-views', () => computeViews(ctx));
}

function computeViews(ctx: CheckContext): HttpServiceView[] {
  const out: HttpServiceView[] = [];
  for (const g of httpServices(ctx)) {
    const name = g.service?.name ?? '';
    const files = g.service ? (filesByService(ctx).get(g.service) ?? []) : filesOutsideServices(ctx);
    // Every per-service finding points at one place: the service's anchor (its start call), else its first app or route.
    const first = g.apps[0] ?? g.routes[0];
    const anchor = g.service?.anchor ?? (first ? { file: first.file, span: first.span } : g.service ? serviceAnchor(g.service) : undefined);
    if (!anchor) continue;
    out.push({ service: g.service, name, label: name ? `service '${name}'` : 'the repository', files, routes: g.routes, apps: g.apps, anchor });
  }
  return out;
}

/**
 * One verdict per HTTP service: `found` is the proof (pass) or undefined (fail, reported at
 * the service's app creation with `messageId` and `lookedFor` in the evidence).
 */
export function perHttpService(
  ctx: CheckContext,
  decide: (svc: HttpServiceView) => { status: 'pass' | 'partial' | 'fail'; evidence: Evidence[]; messageId?: string; data?: Record<string, string | number> } | undefined,
): void {
  for (const svc of httpServiceViews(ctx)) {
    const d = decide(svc);
    if (!d) continue;
    const subject = svc.service ? { ...serviceSubject(svc.service), file: svc.anchor.file, span: svc.anchor.span } : { key: 'service:.', file: svc.anchor.file, span: svc.anchor.span };
    ctx.verdict({
      subject,
      status: d.status,
      evidence: d.evidence,
      ...(d.status !== 'pass' && d.messageId ? { report: { messageId: d.messageId, data: { service: svc.label, ...d.data }, file: svc.anchor.file, span: svc.anchor.span } } : {}),
    });
  }
}
