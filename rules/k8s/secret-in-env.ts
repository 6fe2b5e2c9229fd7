// PLACEHOLDER: metadata only; the check is being written. Replace this whole file.
import { defineRule } from '../../server/src/engine/rule';

export default defineRule({
  meta: {
    id: 'k8s/secret-in-env',
    category: 'security',
    weight: 5,
    severity: 'error',
    scope: 'location',
    title: 'Secret environment variables come from Secrets, not literals',
    summary: 'env vars whose names look secret are not given as literal values',
    occurrence: true,
    appliesTo: ['k8s'],
    subjects: { singular: 'container', plural: 'containers', passing: 'take secrets from Secrets' },
    messages: {},
    fixable: true,
  },
  check() {},
});
