// PLACEHOLDER: metadata only; the check is being written. Replace this whole file.
import { defineRule } from '../../server/src/engine/rule';

export default defineRule({
  meta: {
    id: 'k8s/autoscaling',
    category: 'scalability',
    weight: 2,
    severity: 'info',
    scope: 'workspace',
    title: 'Exposed Deployments autoscale',
    summary: 'a HorizontalPodAutoscaler targets each Deployment that a Service exposes',
    appliesTo: ['k8s'],
    subjects: { singular: 'exposed Deployment', plural: 'exposed Deployments', passing: 'have a HorizontalPodAutoscaler' },
    messages: {},
  },
  check() {},
});
