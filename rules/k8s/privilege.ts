// k8s/privilege: no privileged containers, no explicit privilege escalation, no added
// SYS_ADMIN/ALL capabilities, and no pod sharing the host's network or PID namespace.
import { defineRule } from '../../server/src/engine/rule';
import type { FixOffer, TextEdit } from '../../server/src/engine/types';
import { allWorkloads, containerSubject, get, workloadSubject } from '../lib/k8s';
import { containerSecurityContext, type ContainerFixData, setContainerSecurityField } from '../lib/security-context';

/** Capabilities that amount to root on the host: SYS_ADMIN (mount, namespaces, BPF …) and ALL. */
const DANGEROUS_CAPABILITIES: ReadonlySet<string> = new Set(['SYS_ADMIN', 'ALL']);

function capabilityName(cap: unknown): string | undefined {
  if (typeof cap !== 'string') return undefined;
  const upper = cap.trim().toUpperCase();
  return upper.startsWith('CAP_') ? upper.slice(4) : upper;
}

export default defineRule({
  meta: {
    id: 'k8s/privilege',
    category: 'security',
    weight: 4,
    severity: 'error',
    scope: 'location',
    title: 'Containers run without extra privileges',
    summary: 'no privileged containers, privilege escalation, dangerous capabilities, hostNetwork or hostPID',
    appliesTo: ['k8s'],
    subjects: { singular: 'container', plural: 'containers', passing: 'run without extra privileges' },
    messages: {
      privileged: "Container '{name}' runs privileged (privileged: true): it gets every capability and the host's devices",
      escalation: "Container '{name}' allows privilege escalation (allowPrivilegeEscalation: true): setuid binaries can gain more privileges than it started with",
      capabilities: "Container '{name}' adds {capabilities} to its capabilities, which amounts to root on the node",
      hostNetwork: "{kind} '{workload}' shares the node's network namespace (hostNetwork: true)",
      hostPID: "{kind} '{workload}' shares the node's process namespace (hostPID: true)",
    },
    fixable: true,
  },
  check(ctx) {
    for (const w of allWorkloads(ctx.filesOf('k8s'))) {
      // Pod-level: one finding per setting, at the workload's name.
      const pod = workloadSubject(w);
      let podFails = false;
      for (const field of ['hostNetwork', 'hostPID'] as const) {
        if (w.podSpec[field] !== true) continue;
        podFails = true;
        ctx.report({ subject: pod, messageId: field, data: { kind: w.kind, workload: w.name }, file: w.file.path, span: w.nameSpan });
      }
      if (!podFails) ctx.subject(pod);

      for (const c of w.containers) {
        const subject = containerSubject(w, c);
        const sc = containerSecurityContext(c);
        const base = { subject, file: w.file.path, span: c.nameSpan };
        const privileged = sc.privileged === true;
        const added = get(sc, 'capabilities', 'add');
        const dangerous = Array.isArray(added) ? added.filter((cap) => DANGEROUS_CAPABILITIES.has(capabilityName(cap) ?? '')).map(String) : [];
        let fails = false;
        if (privileged) {
          fails = true;
          ctx.report({ ...base, messageId: 'privileged', data: { name: c.name } });
        }
        if (sc.allowPrivilegeEscalation === true) {
          fails = true;
          // Kubernetes rejects allowPrivilegeEscalation: false beside privileged: true or an
          // added CAP_SYS_ADMIN, so the fix is offered only when escalation is the one problem.
          const fixable = !privileged && dangerous.length === 0;
          const fixes: FixOffer[] = fixable ? [{ title: `Set allowPrivilegeEscalation: false on container '${c.name}'`, safe: false, kind: 'noEscalation' }] : [];
          const fixData: ContainerFixData | undefined = fixable ? { docStart: w.doc.span[0], path: c.path } : undefined;
          ctx.report({ ...base, messageId: 'escalation', data: { name: c.name }, fixes, fixData });
        }
        if (dangerous.length > 0) {
          fails = true;
          ctx.report({ ...base, messageId: 'capabilities', data: { name: c.name, capabilities: dangerous.join(', ') } });
        }
        if (!fails) ctx.subject(subject);
      }
    }
  },
  fix(finding, kind, ctx): TextEdit[] {
    return kind === 'noEscalation' ? setContainerSecurityField(finding, ctx, 'allowPrivilegeEscalation', false) : [];
  },
});
