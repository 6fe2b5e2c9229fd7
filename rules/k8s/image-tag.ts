// k8s/image-tag: every container image names an explicit tag other than `latest`, or a digest.
import { defineRule } from '../../server/src/engine/rule';
import { allWorkloads, containerSubject, spanAt } from '../lib/k8s';
import { parseImageRef } from '../lib/image';

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
    messages: {
      noTag: "Container '{name}' uses image '{image}' without a tag (it runs whatever 'latest' is at pull time)",
      latest: "Container '{name}' uses image '{image}' with the mutable tag 'latest'",
      noImage: "Container '{name}' names no image",
    },
  },
  check(ctx) {
    for (const w of allWorkloads(ctx.filesOf('k8s'))) {
      for (const c of w.containers) {
        const subject = containerSubject(w, c);
        const image = c.value.image;
        if (typeof image !== 'string' || image.trim() === '') {
          ctx.report({ subject, messageId: 'noImage', data: { name: c.name }, file: w.file.path, span: c.nameSpan });
          continue;
        }
        const ref = parseImageRef(image);
        const span = spanAt(w.doc, c.ptr + '/image');
        if (ref.digest) ctx.subject(subject);
        else if (!ref.tag) ctx.report({ subject, messageId: 'noTag', data: { name: c.name, image }, file: w.file.path, span });
        else if (ref.tag === 'latest') ctx.report({ subject, messageId: 'latest', data: { name: c.name, image }, file: w.file.path, span });
        else ctx.subject(subject);
      }
    }
  },
});
