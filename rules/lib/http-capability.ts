// The shape shared by the http/* workspace rules that ask "does each HTTP service have X":
// X is proved by an import of a known library (used in the service's own files) or by a
// route, and the evidence cites the import or route that proved it.
import { defineRule, type Rule } from '../../server/src/engine/rule';
import type { Category, Evidence, Severity } from '../../server/src/engine/types';
import { findImport, perHttpService, type HttpServiceView } from './code';
import { routeLabel, type HttpRoute } from './routes';

export interface Library {
  /** Module prefix as imported (npm package or dotted Python module). */
  pkg: string;
  label: string;
}

export interface CapabilitySpec {
  id: string;
  category: Category;
  weight: number;
  severity: Severity;
  title: string;
  summary: string;
  /** "a rate limiter" — what was looked for, in words. */
  what: string;
  libraries: readonly Library[];
  /** A route that proves the capability (a `/health` route). */
  route?: (route: HttpRoute) => boolean;
  /** Extra proof from the rest of the workspace (an Ingress annotation), checked when nothing in the service proves it. */
  elsewhere?: (svc: HttpServiceView, ctx: Parameters<Rule['check']>[0]) => Evidence | undefined;
  /** Services the question does not apply to (no routes that take a body). */
  applies?: (svc: HttpServiceView) => boolean;
  passing: string;
}

export function capabilityRule(spec: CapabilitySpec): Rule {
  const pkgs = spec.libraries.map((l) => l.pkg);
  return defineRule({
    meta: {
      id: spec.id,
      category: spec.category,
      weight: spec.weight,
      severity: spec.severity,
      scope: 'workspace',
      title: spec.title,
      summary: spec.summary,
      appliesTo: ['ts', 'js', 'python'],
      subjects: { singular: 'HTTP service', plural: 'HTTP services', passing: spec.passing },
      messages: { missing: `No ${spec.what} found in {service}` },
    },
    check(ctx) {
      perHttpService(ctx, (svc) => {
        if (spec.applies && !spec.applies(svc)) return undefined;
        const route = spec.route ? svc.routes.find(spec.route) : undefined;
        if (route) return { status: 'pass', evidence: [{ file: route.file, span: route.span, note: `${routeLabel(route)} in ${svc.label}` }] };
        const imp = findImport(svc.files, pkgs);
        if (imp) {
          const lib = spec.libraries.find((l) => l.pkg === imp.pkg)!;
          return { status: 'pass', evidence: [{ file: imp.file, span: imp.span, note: `${lib.label} (${imp.name ? `${imp.module}.${imp.name}` : imp.module}) imported in ${svc.label}` }] };
        }
        const other = spec.elsewhere?.(svc, ctx);
        if (other) return { status: 'pass', evidence: [other] };
        const looked = [...new Set(spec.libraries.map((l) => l.label))].slice(0, 8).join(', ');
        return {
          status: 'fail',
          evidence: [{ file: svc.anchor.file, span: svc.anchor.span, note: `No ${spec.what} in ${svc.label}: looked for ${looked}${spec.route ? ' and a matching route' : ''} in its ${svc.files.length} files` }],
          messageId: 'missing',
        };
      });
    },
  });
}
