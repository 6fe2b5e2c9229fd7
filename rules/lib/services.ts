// Helpers for per-service workspace rules: which files belong to which service, the
// subject of a service, where its finding points, and dependency look-ups in its manifests.
import type { CheckContext } from '../../server/src/engine/rule';
import { serviceAnchor, serviceInfoLookup } from '../../server/src/engine/services';
import { normalisePyName, type ManifestDep } from '../../server/src/engine/parse/manifest';
import type { ServiceInfo, SourceFile, Span, Subject, VerdictInit } from '../../server/src/engine/types';

export function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

export function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** `dir/name`, or `name` at the root ('' or '.'). */
export function joinPath(dir: string, name: string): string {
  return dir === '' || dir === '.' ? name : `${dir}/${name}`;
}

function groups(ctx: CheckContext): { services: Map<ServiceInfo, SourceFile[]>; outside: SourceFile[] } {
  return ctx.shared('files-by-service', () => {
    const lookup = serviceInfoLookup(ctx.services);
    const g = { services: new Map<ServiceInfo, SourceFile[]>(ctx.services.map((s) => [s, []])), outside: [] as SourceFile[] };
    for (const f of ctx.files) {
      const s = lookup(f.path);
      (s ? g.services.get(s)! : g.outside).push(f);
    }
    return g;
  });
}

/**
 * Each service's files (every service present, in root order): a file belongs to the service
 * whose root is the longest prefix of its path. Grouped once per rule run: every per-service rule asks.
 */
export function filesByService(ctx: CheckContext): Map<ServiceInfo, SourceFile[]> {
  return groups(ctx).services;
}

/** The root's files that belong to no service. */
export function filesOutsideServices(ctx: CheckContext): SourceFile[] {
  return groups(ctx).outside;
}

/** The subject of a per-service verdict: keyed by the service's root (names may repeat), at its anchor. */
export function serviceSubject(service: ServiceInfo): Subject {
  const at = serviceAnchor(service);
  return { key: `service:${service.root}`, service: service.name, ...(at ? { file: at.file, span: at.span } : {}) };
}

/** Where a finding about the service points (DESIGN.md): its anchor, else its manifest's first line. */
export function serviceReportAt(service: ServiceInfo): { file: string; span: Span } {
  return serviceAnchor(service) ?? { file: service.root === '.' ? '' : service.root, span: { start: 0, end: 0 } };
}

/** A failing per-service verdict's diagnostic, where the service's findings point. */
export function serviceReport(service: ServiceInfo, messageId: string, data: Record<string, string>): NonNullable<VerdictInit['report']> {
  return { ...serviceReportAt(service), messageId, data: { service: service.name, ...data } };
}

export interface FoundDep {
  dep: ManifestDep;
  file: SourceFile;
  dev: boolean;
}

/** Every dependency of the service's manifests (runtime first), with the manifest it is in. */
export function serviceDeps(files: readonly SourceFile[]): FoundDep[] {
  const out: FoundDep[] = [];
  for (const f of files) {
    const m = f.facts.manifest;
    if (!m) continue;
    for (const dep of m.dependencies) out.push({ dep, file: f, dev: false });
    for (const dep of m.devDependencies) out.push({ dep, file: f, dev: true });
  }
  return out;
}

/** Comparable dependency name: npm names as written, Python names PEP 503-normalised. */
export function depKey(d: FoundDep): string {
  return d.file.facts.manifest?.format === 'npm' ? d.dep.name : normalisePyName(d.dep.name);
}

export function spanOf(s: [number, number]): Span {
  return { start: s[0], end: s[1] };
}

/** A short list of names for a message: "'a', 'b', 'c' and 2 more". */
export function nameList(names: readonly string[], max = 4): string {
  const unique = [...new Set(names)];
  const shown = unique.slice(0, max).map((n) => `'${n}'`).join(', ');
  return unique.length > max ? `${shown} and ${unique.length - max} more` : shown;
}
