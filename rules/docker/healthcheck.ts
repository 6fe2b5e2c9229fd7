// docker/healthcheck: the final stage has a HEALTHCHECK (its own or one inherited from the
// stage it is built on), unless the image is one that Kubernetes runs: a workload's
// container image has the same repository name as the Dockerfile's directory, the
// Dockerfile's own name (`api.Dockerfile`, `Dockerfile.api`), or the `image:` of a compose
// service that builds this Dockerfile. Kubernetes ignores HEALTHCHECK and uses its probes.
import { defineRule } from '../../server/src/engine/rule';
import type { DfStage } from '../../server/src/engine/parse/dockerfile';
import type { SourceFile, TextEdit } from '../../server/src/engine/types';
import { buildOf, composeServices, resolveInterpolation } from '../lib/compose';
import { currentFacts, dockerfiles, effectiveHealthcheck, exposedPort, imageFamily, insertionPoint, insertLines, stageChain } from '../lib/dockerfile';
import { imageName } from '../lib/image';
import { allWorkloads, type Workload } from '../lib/k8s';

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Names the Dockerfile's image may go by in a registry. */
function imageNames(file: SourceFile, composeImages: ReadonlyMap<string, string[]>): Set<string> {
  const names = new Set<string>();
  const dir = dirOf(file.path);
  // The directory's name; for a Dockerfile at the root, the root directory's own name.
  const dirName = dir ? baseName(dir) : baseName(dirOf(file.absPath.replace(/\\/g, '/')));
  if (dirName) names.add(dirName.toLowerCase());
  const lower = baseName(file.path).toLowerCase();
  if (lower.endsWith('.dockerfile') && lower.length > '.dockerfile'.length) names.add(lower.slice(0, -'.dockerfile'.length));
  if (lower.startsWith('dockerfile.') && lower.length > 'dockerfile.'.length) names.add(lower.slice('dockerfile.'.length));
  for (const n of composeImages.get(file.path) ?? []) names.add(n);
  return names;
}

function healthcheckLine(stage: DfStage[], port: number): string | undefined {
  const family = imageFamily(stage);
  if (family === 'none') return undefined;
  const probe = family === 'alpine' ? `wget -qO- http://localhost:${port}/healthz` : `curl -fsS http://localhost:${port}/healthz`;
  return `HEALTHCHECK --interval=30s --timeout=3s CMD ${probe} || exit 1`;
}

export default defineRule({
  meta: {
    id: 'docker/healthcheck',
    category: 'resilience',
    weight: 2,
    severity: 'info',
    scope: 'location',
    title: 'Dockerfiles define a HEALTHCHECK',
    summary: 'the final stage has a HEALTHCHECK, unless Kubernetes runs the image (it uses probes)',
    appliesTo: ['dockerfile'],
    subjects: { singular: 'Dockerfile', plural: 'Dockerfiles', passing: 'define a HEALTHCHECK' },
    messages: {
      missing: 'The final stage defines no HEALTHCHECK, so Docker and compose cannot tell a hung container from a healthy one',
      none: 'HEALTHCHECK NONE switches off the health check of the final stage, so Docker and compose cannot tell a hung container from a healthy one',
    },
    fixable: true,
  },
  check(ctx) {
    // Images Kubernetes runs, by repository name → the workload that runs it.
    const k8sImages = new Map<string, Workload>();
    for (const w of allWorkloads(ctx.filesOf('k8s'))) {
      for (const c of w.containers) {
        const image = c.value.image;
        if (typeof image === 'string' && image.trim() !== '' && !k8sImages.has(imageName(image))) k8sImages.set(imageName(image), w);
      }
    }
    const composeImages = new Map<string, string[]>();
    for (const s of composeServices(ctx.filesOf('compose'))) {
      const dockerfile = buildOf(s)?.dockerfile;
      const image = s.value.image;
      if (!dockerfile || typeof image !== 'string') continue;
      const name = imageName(resolveInterpolation(image));
      if (name) composeImages.set(dockerfile, [...(composeImages.get(dockerfile) ?? []), name]);
    }

    for (const { file, facts, final } of dockerfiles(ctx.filesOf('dockerfile'))) {
      if (k8sImages.size > 0) {
        const hit = [...imageNames(file, composeImages)].find((n) => k8sImages.has(n));
        if (hit) {
          const w = k8sImages.get(hit)!;
          ctx.evidence({ file: file.path, span: final.from.span, note: `${file.path}: image '${hit}' runs in Kubernetes (${w.kind} '${w.name}' in ${w.file.path}), which checks health with probes; not asked for a HEALTHCHECK` });
          continue;
        }
      }
      const subject = { key: `${file.path}#${file.path}/final-stage`, file: file.path, span: final.from.span };
      const chain = stageChain(facts, final);
      const effective = effectiveHealthcheck(chain);
      if (effective && !effective.healthcheck.none) {
        ctx.subject(subject);
        continue;
      }
      const port = exposedPort(chain);
      const line = port !== undefined ? healthcheckLine(chain, port) : undefined;
      const fixes = line ? [{ title: `Add a HEALTHCHECK probing http://localhost:${port}/healthz`, safe: false, kind: 'healthcheck' }] : [];
      if (effective) ctx.report({ subject, messageId: 'none', file: file.path, span: effective.healthcheck.span, fixes });
      else ctx.report({ subject, messageId: 'missing', file: file.path, span: final.from.span, fixes });
    }
  },
  fix(finding, kind, ctx): TextEdit[] {
    if (kind !== 'healthcheck') return [];
    const current = currentFacts(ctx, finding.file);
    if (!current) return [];
    const { text, facts, final } = current;
    const chain = stageChain(facts, final);
    const effective = effectiveHealthcheck(chain);
    if (effective && !effective.healthcheck.none) return [];
    const port = exposedPort(chain);
    const line = port !== undefined ? healthcheckLine(chain, port) : undefined;
    if (!line) return [];
    if (effective && effective.stage === final) return [{ file: finding.file, start: effective.healthcheck.span.start, end: effective.healthcheck.span.end, newText: line }];
    return [insertLines(finding.file, text, insertionPoint(text, final), [line])];
  },
});
