// PLACEHOLDER: metadata only; the check is being written. Replace this whole file.
import { defineRule } from '../../server/src/engine/rule';

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
    messages: {},
    fixable: true,
  },
  check() {},
});
