// PLACEHOLDER: metadata only; the check is being written. Replace this whole file.
import { defineRule } from '../../server/src/engine/rule';

export default defineRule({
  meta: {
    id: 'k8s/ingress-tls',
    category: 'security',
    weight: 3,
    severity: 'warning',
    scope: 'location',
    title: 'Ingresses terminate TLS',
    summary: 'each Ingress has a tls section',
    appliesTo: ['k8s'],
    subjects: { singular: 'Ingress', plural: 'Ingresses', passing: 'configure TLS' },
    messages: {},
    fixable: true,
  },
  check() {},
});
