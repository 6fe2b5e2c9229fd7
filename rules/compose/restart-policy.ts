// compose/restart-policy: every long-running service says what happens when it exits
// (`restart`, or `deploy.restart_policy`); compose's default is never to restart it.
import { defineRule } from '../../server/src/engine/rule';
import type { FixOffer, TextEdit } from '../../server/src/engine/types';
import { layerSetting, longRunningServices, overlayNote, serviceSubject } from '../lib/compose';
import { serviceForFix } from '../lib/compose-edit';
import { isObj } from '../lib/k8s';
import { ensureEntries, isBlockMapAt, isSet } from '../lib/resources';

export default defineRule({
  meta: {
    id: 'compose/restart-policy',
    category: 'resilience',
    weight: 2,
    severity: 'info',
    scope: 'location',
    title: 'Compose services set a restart policy',
    summary: 'long-running services set restart or deploy.restart_policy',
    appliesTo: ['compose'],
    subjects: { singular: 'long-running service', plural: 'long-running services', passing: 'set a restart policy' },
    messages: {
      missing: "Service '{name}' sets no restart policy, so it stays down after a crash or a host reboot (restart or deploy.restart_policy)",
    },
    fixable: true,
  },
  check(ctx) {
    const files = ctx.filesOf('compose');
    for (const s of longRunningServices(ctx, files, 'no restart policy asked for')) {
      const subject = serviceSubject(s);
      const restart = layerSetting(s, 'restart');
      const policy = layerSetting(s, 'deploy', 'restart_policy');
      if (isSet(s.value.restart) || (isObj(s.value.deploy) && isSet(s.value.deploy.restart_policy))) {
        overlayNote(ctx, s, restart ?? policy, restart ? ['restart'] : ['deploy', 'restart_policy'], 'restart policy');
        ctx.subject(subject);
        continue;
      }
      const fixes: FixOffer[] = isBlockMapAt(s.doc, s.ptr) ? [{ title: 'Add restart: unless-stopped', safe: false, kind: 'restart' }] : [];
      ctx.report({ subject, messageId: 'missing', data: { name: s.name }, file: s.file.path, span: s.keySpan, fixes, fixData: { name: s.name } });
    }
  },
  fix(finding, kind, ctx): TextEdit[] {
    const data = finding.fixData;
    if (kind !== 'restart' || !isObj(data) || typeof data.name !== 'string') return [];
    const found = serviceForFix(ctx, finding.file, finding.span.start, data.name);
    if (!found || isSet(found.value.restart)) return [];
    return ensureEntries(found.text, finding.file, found.doc, found.path, { restart: 'unless-stopped' });
  },
});
