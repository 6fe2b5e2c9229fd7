// docker/image-tag: every FROM image is pinned to a tag other than `latest`, or a digest.
// Stage references (`FROM build`) and `scratch` are not images; tags that come from a
// build arg are resolved from the ARG's default.
import { defineRule } from '../../server/src/engine/rule';
import { dockerfiles, stageLabel } from '../lib/dockerfile';
import { parseImageRef } from '../lib/image';

/** The image as written, with `${NAME}` shown as `$NAME` (messages fill `{placeholders}`). */
function displayImage(image: string): string {
  return image.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => `$${name}`);
}

export default defineRule({
  meta: {
    id: 'docker/image-tag',
    category: 'delivery',
    weight: 2,
    severity: 'warning',
    scope: 'location',
    title: 'Base images are pinned',
    summary: 'FROM images are pinned to a tag other than latest, or a digest; stage references and scratch are fine',
    appliesTo: ['dockerfile'],
    subjects: { singular: 'FROM image', plural: 'FROM images', passing: 'are pinned' },
    messages: {
      noTag: "Base image '{image}' has no tag, so every build pulls whatever 'latest' is at that moment",
      latest: "Base image '{image}' uses the mutable tag 'latest'",
      argNoDefault: "The tag of base image '{image}' comes from build arg {args}, which has no default, so the Dockerfile does not say which version it builds on",
    },
  },
  check(ctx) {
    for (const { file, facts } of dockerfiles(ctx.filesOf('dockerfile'))) {
      for (const stage of facts.stages) {
        const { from } = stage;
        if (stage.base !== 'image' || from.image.trim() === '' || !from.imageSpan) continue;
        const subject = { key: `${file.path}#stage/${stageLabel(stage)}/from`, file: file.path, span: from.imageSpan };
        const ref = parseImageRef(from.resolved);
        const lastPart = ref.repository.slice(ref.repository.lastIndexOf('/') + 1);
        const report = (messageId: string, data: Record<string, string>): void =>
          ctx.report({ subject, messageId, data: { image: displayImage(from.image), ...data }, file: file.path, span: from.imageSpan! });
        if (ref.digest && !ref.digest.includes('$')) ctx.subject(subject);
        else if ((ref.tag ?? '').includes('$') || (!ref.tag && lastPart.includes('$')) || (ref.digest ?? '').includes('$')) {
          report('argNoDefault', { args: from.unresolved.map((a) => `'${a}'`).join(', ') || "''" });
        } else if (!ref.tag) report('noTag', {});
        else if (ref.tag.toLowerCase() === 'latest') report('latest', {});
        else ctx.subject(subject);
      }
    }
  },
});
