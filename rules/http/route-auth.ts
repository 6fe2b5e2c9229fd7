// http/route-auth: every reachable HTTP route is behind an authentication guard, unless it
// is public by default (health, metrics, docs, sign-in, static assets) or by the
// configuration's `publicRoutes`. The linkers (server/src/engine/routes/) decide the
// effective path and the guards across files; this rule judges and offers the fixes.
import { defineRule } from '../../server/src/engine/rule';
import { configuredPublic, defaultPublicReason } from '../../server/src/engine/routes/public';
import { kindsByName } from '../../server/src/engine/classify';
import { ignoreLineEdit } from '../../server/src/engine/suppress-edits';
import { contentHash } from '../../server/src/engine/text';
import type { FixOffer, TextEdit } from '../../server/src/engine/types';
import { FRAMEWORK_LABELS, isProtected, routeLabel, routesOf, type HttpRoute } from '../lib/routes';

interface ProtectData {
  /** Content hash of each edited file at check time: a file changed since gets no edits. */
  hashes: Record<string, string>;
  edits: { file: string; start: number; end: number; newText: string }[];
}

const MAX_EVIDENCE = 20;

function isProtectData(d: unknown): d is ProtectData {
  return typeof d === 'object' && d !== null && Array.isArray((d as ProtectData).edits) && typeof (d as ProtectData).hashes === 'object';
}

function subjectKey(route: HttpRoute, seen: Map<string, number>): string {
  const base = `${route.file}#${route.framework}/${routeLabel(route)}`;
  const n = seen.get(base) ?? 0;
  seen.set(base, n + 1);
  return n === 0 ? base : `${base}/${n + 1}`;
}

export default defineRule({
  meta: {
    id: 'http/route-auth',
    category: 'security',
    weight: 5,
    severity: 'warning',
    scope: 'location',
    title: 'HTTP routes are behind an authentication guard',
    summary: 'each route is protected by a route, router, app or global authentication guard, unless it is public',
    appliesTo: ['ts', 'js', 'python'],
    subjects: { singular: 'route', plural: 'routes', passing: 'are behind an authentication guard' },
    messages: {
      unprotected: '{route} ({framework}) is not behind an authentication guard',
      optional: '{route} ({framework}) has only optional authentication ({guard}): requests without credentials reach the handler',
    },
    fixable: true,
  },
  check(ctx) {
    const table = routesOf(ctx);
    const seen = new Map<string, number>();
    // Only the hashes of the files a fix edits are read: in the editor, what a rule reads decides when it re-runs.
    const fileByPath = new Map(ctx.files.map((f) => [f.path, f]));
    const counts = { protected: 0, public: 0, unprotected: 0 };
    const publicNotes: string[] = [];
    for (const route of table.routes) {
      const key = subjectKey(route, seen);
      const subject = { key, file: route.file, span: route.span };
      const label = routeLabel(route);
      if (isProtected(route)) {
        counts.protected++;
        ctx.subject(subject);
        continue;
      }
      const configured = configuredPublic(route, ctx.settings.publicRoutes);
      const byDefault = configured ? undefined : defaultPublicReason(route.path);
      if (configured || byDefault) {
        counts.public++;
        if (publicNotes.length < MAX_EVIDENCE) {
          publicNotes.push(label);
          ctx.evidence({ file: route.file, span: route.span, note: `${label} is public ${configured ? `by configuration (publicRoutes: "${configured}")` : `by default (${byDefault})`}` });
        }
        continue;
      }
      counts.unprotected++;
      const optional = route.guards.filter((g) => g.optional);
      const fixes: FixOffer[] = [];
      let fixData: ProtectData | undefined;
      if (route.protect && route.protect.edits.length > 0) {
        const edits = route.protect.edits;
        const hashes: Record<string, string> = {};
        for (const e of edits) hashes[e.file] = fileByPath.get(e.file)?.hash ?? '';
        fixes.push({ title: `Protect ${label} with ${route.protect.guard}`, safe: false, kind: 'protect' });
        fixData = { hashes, edits: edits.map((e) => ({ file: e.file, start: e.span.start, end: e.span.end, newText: e.newText })) };
      }
      fixes.push({ title: `Mark ${label} as public (suppression with a reason)`, safe: false, kind: 'public' });
      ctx.report({
        subject,
        messageId: optional.length > 0 ? 'optional' : 'unprotected',
        data: { route: label, framework: FRAMEWORK_LABELS[route.framework], guard: optional.map((g) => g.name).join(', ') },
        file: route.file,
        span: route.span,
        fixes,
        fixData,
      });
    }
    for (const u of table.unmounted) {
      ctx.evidence({ file: u.file, span: u.span, note: `${FRAMEWORK_LABELS[u.framework]} ${u.name} is defined but never mounted: its ${u.routes} route${u.routes === 1 ? '' : 's'} are unreachable and not reported` });
    }
    if (table.routes.length > 0) {
      const frameworks = [...new Set(table.routes.map((r) => FRAMEWORK_LABELS[r.framework]))].join(', ');
      ctx.evidence({ note: `${table.routes.length} route${table.routes.length === 1 ? '' : 's'} (${frameworks}): ${counts.protected} behind a guard, ${counts.public} public, ${counts.unprotected} without authentication` });
    }
    const guards = table.guardsUsed.slice(0, 5).map((g) => `${g.name} (${FRAMEWORK_LABELS[g.framework]}, ${g.count}×)`);
    if (guards.length > 0) ctx.evidence({ note: `Guards in use: ${guards.join(', ')}` });
  },
  fix(finding, kind, ctx): TextEdit[] {
    if (kind === 'public') {
      const text = ctx.text(finding.file);
      const edit = ignoreLineEdit(text, finding, finding.file, kindsByName(finding.file), 'public route: ');
      return edit ? [edit] : [];
    }
    if (kind !== 'protect' || !isProtectData(finding.fixData)) return [];
    const data = finding.fixData;
    // The edits were computed on the text the finding came from; a file changed since gets none.
    for (const [file, hash] of Object.entries(data.hashes)) if (contentHash(ctx.text(file)) !== hash) return [];
    return data.edits.map((e) => ({ file: e.file, start: e.start, end: e.end, newText: e.newText }));
  },
});
