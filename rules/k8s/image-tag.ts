// PLACEHOLDER: metadata only; the check is being written. Replace this whole file.
import { defineRule } from '../../server/src/engine/rule';

export default defineRule({
  meta: {
    id: 'k8s/image-tag',
    category: 'delivery',
    weight: 2,
    severity: 'warning',
    scope: 'location',
    title: 'Container images are pinned',
    summary: 'images have an explicit tag other than latest, or a digest',
    appliesTo: ['k8s'],
    subjects: { singular: 'container', plural: 'containers', passing: 'use pinned images' },
    messages: {},
  },
  check() {},
});
