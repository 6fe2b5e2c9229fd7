// PLACEHOLDER: metadata only; the check is being written. Replace this whole file.
import { defineRule } from '../../server/src/engine/rule';

export default defineRule({
  meta: {
    id: 'k8s/disruption-budget',
    category: 'resilience',
    weight: 1,
    severity: 'info',
    scope: 'workspace',
    title: 'Multi-replica Deployments have a PodDisruptionBudget',
    summary: 'multi-replica Deployments have a PodDisruptionBudget',
    appliesTo: ['k8s'],
    subjects: { singular: 'multi-replica Deployment', plural: 'multi-replica Deployments', passing: 'have a PodDisruptionBudget' },
    messages: {},
  },
  check() {},
});
