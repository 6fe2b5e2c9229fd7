// PLACEHOLDER: metadata only; the check is being written. Replace this whole file.
import { defineRule } from '../../server/src/engine/rule';

export default defineRule({
  meta: {
    id: 'k8s/resource-limits',
    category: 'scalability',
    weight: 5,
    severity: 'warning',
    scope: 'location',
    title: 'Containers set CPU and memory limits',
    summary: 'each container sets resources.limits.memory and resources.limits.cpu',
    appliesTo: ['k8s'],
    subjects: { singular: 'container', plural: 'containers', passing: 'set CPU and memory limits' },
    messages: {},
    fixable: true,
  },
  check() {},
});
