// PLACEHOLDER: metadata only; the check is being written. Replace this whole file.
import { defineRule } from '../../server/src/engine/rule';

export default defineRule({
  meta: {
    id: 'meta/unused-suppression',
    category: 'security',
    weight: 0,
    severity: 'info',
    scope: 'location',
    title: 'Suppressions suppress something',
    summary: 'every suppression directive suppresses at least one finding',
    appliesTo: ['yaml', 'k8s', 'compose', 'dockerfile', 'ts', 'js', 'python', 'dotenv', 'terraform', 'markdown', 'ci'],
    subjects: { singular: 'suppression', plural: 'suppressions', passing: 'suppress a finding' },
    messages: {},
  },
  check() {},
});
