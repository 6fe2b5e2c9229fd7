// PLACEHOLDER: metadata only; the check is being written. Replace this whole file.
import { defineRule } from '../../server/src/engine/rule';

export default defineRule({
  meta: {
    id: 'k8s/replicas',
    category: 'scalability',
    weight: 2,
    severity: 'info',
    scope: 'location',
    title: 'Deployments run more than one replica',
    summary: 'Deployments serving traffic run more than one replica or have an HPA',
    appliesTo: ['k8s'],
    subjects: { singular: 'Deployment', plural: 'Deployments', passing: 'run more than one replica or autoscale' },
    messages: {},
    fixable: true,
  },
  check() {},
});
