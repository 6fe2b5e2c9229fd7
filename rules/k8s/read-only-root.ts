// PLACEHOLDER: metadata only; the check is being written. Replace this whole file.
import { defineRule } from '../../server/src/engine/rule';

export default defineRule({
  meta: {
    id: 'k8s/read-only-root',
    category: 'security',
    weight: 1,
    severity: 'info',
    scope: 'location',
    title: 'Containers use a read-only root filesystem',
    summary: 'containers set readOnlyRootFilesystem: true',
    appliesTo: ['k8s'],
    subjects: { singular: 'container', plural: 'containers', passing: 'use a read-only root filesystem' },
    messages: {},
    fixable: true,
  },
  check() {},
});
