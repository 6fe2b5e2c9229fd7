// k8s/non-root: the pod or container securityContext makes each container run as a
// non-root user (`runAsNonRoot: true` or `runAsUser` > 0), and nothing sets `runAsUser: 0`.
import { defineRule } from '../../server/src/engine/rule';
import type { TextEdit } from '../../server/src/engine/types';
import { allWorkloads, containerSubject } from '../lib/k8s';
import { effectiveSetting, isWindowsPod, type ContainerFixData, setContainerSecurityField } from '../lib/security-context';

const WHERE = { container: 'its securityContext', pod: 'the pod securityContext' } as const;

export default defineRule({
  meta: {
    id: 'k8s/non-root',
    category: 'security',
    weight: 4,
    severity: 'warning',
    scope: 'location',
    title: 'Containers run as non-root',
    summary: 'pod or container securityContext makes the container run as non-root',
    appliesTo: ['k8s'],
    subjects: { singular: 'container', plural: 'containers', passing: 'run as non-root' },
    messages: {
      root: "Container '{name}' runs as root (runAsUser: 0), set in {where}",
      allowsRoot: "Container '{name}' may run as root: {where} sets runAsNonRoot: false and no runAsUser above 0",
      unset: "Container '{name}' may run as root: neither its nor the pod securityContext sets runAsNonRoot: true or a runAsUser above 0",
    },
    fixable: true,
  },
  check(ctx) {
    for (const w of allWorkloads(ctx.filesOf('k8s'))) {
      // Windows containers have no Linux user ids; runAsNonRoot does not apply to them.
      if (isWindowsPod(w)) continue;
      for (const c of w.containers) {
        const subject = containerSubject(w, c);
        const user = effectiveSetting(w, c, 'runAsUser');
        const nonRoot = effectiveSetting(w, c, 'runAsNonRoot');
        const base = { subject, file: w.file.path, span: c.nameSpan };
        if (user.value === 0) {
          // No fix: runAsNonRoot: true beside runAsUser: 0 only stops the pod from starting; choosing a UID is the author's call.
          ctx.report({ ...base, messageId: 'root', data: { name: c.name, where: WHERE[user.from!] } });
          continue;
        }
        if (nonRoot.value === true || (typeof user.value === 'number' && user.value > 0)) {
          ctx.subject(subject);
          continue;
        }
        const fixData: ContainerFixData = { docStart: w.doc.span[0], path: c.path };
        const fixes = [{ title: `Set runAsNonRoot: true on container '${c.name}'`, safe: false, kind: 'runAsNonRoot' }];
        if (nonRoot.value === false) ctx.report({ ...base, messageId: 'allowsRoot', data: { name: c.name, where: WHERE[nonRoot.from!] }, fixes, fixData });
        else ctx.report({ ...base, messageId: 'unset', data: { name: c.name }, fixes, fixData });
      }
    }
  },
  fix(finding, kind, ctx): TextEdit[] {
    return kind === 'runAsNonRoot' ? setContainerSecurityField(finding, ctx, 'runAsNonRoot', true) : [];
  },
});
