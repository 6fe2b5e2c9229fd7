// PLACEHOLDER: metadata only; the check is being written. Replace this whole file.
import { defineRule } from '../../server/src/engine/rule';

export default defineRule({
  meta: {
    id: 'meta/suppression-reason',
    category: 'security',
    weight: 0,
    severity: 'info',
    scope: 'location',
    title: 'Suppressions say why',
    summary: 'every suppression directive gives a reason after --',
    appliesTo: ['yaml', 'k8s', 'compose', 'dockerfile', 'ts', 'js', 'python', 'dotenv', 'terraform', 'markdown', 'ci'],
    subjects: { singular: 'suppression', plural: 'suppressions', passing: 'give a reason' },
    messages: {},
  },
  check() {},
});
