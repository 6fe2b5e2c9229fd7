// PLACEHOLDER: metadata only; the check is being written. Replace this whole file.
import { defineRule } from '../../server/src/engine/rule';

export default defineRule({
  meta: {
    id: 'k8s/probes',
    category: 'resilience',
    weight: 4,
    severity: 'warning',
    scope: 'location',
    title: 'Long-running containers define readiness and liveness probes',
    summary: 'long-running workload containers define readinessProbe and livenessProbe',
    appliesTo: ['k8s'],
    subjects: { singular: 'container', plural: 'containers', passing: 'define readiness and liveness probes' },
    messages: {},
    fixable: true,
  },
  check() {},
});
