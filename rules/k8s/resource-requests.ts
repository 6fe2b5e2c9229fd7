// PLACEHOLDER: metadata only; the check is being written. Replace this whole file.
import { defineRule } from '../../server/src/engine/rule';

export default defineRule({
  meta: {
    id: 'k8s/resource-requests',
    category: 'scalability',
    weight: 3,
    severity: 'warning',
    scope: 'location',
    title: 'Containers set CPU and memory requests',
    summary: 'each container sets resources.requests.cpu and resources.requests.memory',
    appliesTo: ['k8s'],
    subjects: { singular: 'container', plural: 'containers', passing: 'set CPU and memory requests' },
    messages: {},
    fixable: true,
  },
  check() {},
});
