// k8s/read-only-root: each container sets `securityContext.readOnlyRootFilesystem: true`.
import { defineRule } from '../../server/src/engine/rule';
import type { TextEdit } from '../../server/src/engine/types';
import { allWorkloads, containerSubject } from '../lib/k8s';
import { containerSecurityContext, isWindowsPod, type ContainerFixData, setContainerSecurityField } from '../lib/security-context';

export default defineRule({
  meta: {
    id: 'k8s/read-only-root',
    category: 'security',
    weight: 1,
    severity: 'info',
    scope: 'location',
    title: 'Containers use a read-only root filesystem',
    summary: 'containers set readOnlyRootFilesystem: true',
    appliesTo: ['k8s'],
    subjects: { singular: 'container', plural: 'containers', passing: 'use a read-only root filesystem' },
    messages: {
      unset: "Container '{name}' has a writable root filesystem (no readOnlyRootFilesystem: true in its securityContext)",
      disabled: "Container '{name}' has a writable root filesystem (readOnlyRootFilesystem: false)",
    },
    fixable: true,
  },
  check(ctx) {
    for (const w of allWorkloads(ctx.filesOf('k8s'))) {
      // Windows containers do not support a read-only root filesystem.
      if (isWindowsPod(w)) continue;
      for (const c of w.containers) {
        const subject = containerSubject(w, c);
        const setting = containerSecurityContext(c).readOnlyRootFilesystem;
        if (setting === true) {
          ctx.subject(subject);
          continue;
        }
        const fixData: ContainerFixData = { docStart: w.doc.span[0], path: c.path };
        ctx.report({
          subject,
          messageId: setting === false ? 'disabled' : 'unset',
          data: { name: c.name },
          file: w.file.path,
          span: c.nameSpan,
          fixes: [{ title: `Set readOnlyRootFilesystem: true on container '${c.name}'`, safe: false, kind: 'readOnlyRoot' }],
          fixData,
        });
      }
    }
  },
  fix(finding, kind, ctx): TextEdit[] {
    return kind === 'readOnlyRoot' ? setContainerSecurityField(finding, ctx, 'readOnlyRootFilesystem', true) : [];
  },
});
