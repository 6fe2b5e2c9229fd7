// PLACEHOLDER: metadata only; the check is being written. Replace this whole file.
import { defineRule } from '../../server/src/engine/rule';

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
    messages: {},
    fixable: true,
  },
  check() {},
});
