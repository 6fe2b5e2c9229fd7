// k8s/replicas: a Deployment that a Service sends traffic to runs more than one replica,
// or an autoscaler that can run more than one targets it.
import { isScalar } from 'yaml';
import { defineRule } from '../../server/src/engine/rule';
import { documentAt, workloadSubject } from '../lib/k8s';
import { autoscalersTargeting, canScaleOut, exposedDeployments, hasReplicasField, quotedList, replicasOf } from '../lib/k8s-links';
import { insertEntriesFirst } from '../lib/k8s-links-edit';
import { isBlockMapAt } from '../lib/resources';
import { replaceEntry, setScalar, type Path } from '../lib/yaml-edit';
import { pointer } from '../../server/src/engine/parse/yaml';

interface ReplicasFixData {
  docStart: number;
  specPath: Path;
}

function isFixData(v: unknown): v is ReplicasFixData {
  return typeof v === 'object' && v !== null && typeof (v as ReplicasFixData).docStart === 'number' && Array.isArray((v as ReplicasFixData).specPath);
}

export default defineRule({
  meta: {
    id: 'k8s/replicas',
    category: 'scalability',
    weight: 2,
    severity: 'info',
    scope: 'location',
    title: 'Deployments run more than one replica',
    summary: 'Deployments serving traffic run more than one replica or have an HPA',
    appliesTo: ['k8s'],
    subjects: { singular: 'Deployment behind a Service', plural: 'Deployments behind a Service', passing: 'run more than one replica or autoscale' },
    messages: {
      defaulted: "Deployment '{name}' sets no spec.replicas, so it runs a single replica behind {services}, and no HorizontalPodAutoscaler targets it",
      single: "Deployment '{name}' runs a single replica (spec.replicas: 1) behind {services}, and no HorizontalPodAutoscaler targets it",
      zero: "Deployment '{name}' is scaled to 0 replicas (spec.replicas: 0) while {services} {verb} traffic to it",
      capped: "Deployment '{name}' cannot run more than one replica: {autoscaler} '{autoscaler_name}' targets it with {field}: {max}",
    },
    fixable: true,
  },
  check(ctx) {
    const { deployments, autoscalers } = exposedDeployments(ctx.filesOf('k8s'));
    for (const { w, exposing } of deployments) {
      const replicas = replicasOf(w);
      if (replicas === undefined) continue; // not an integer (a template or a manifest error): nothing to decide
      const subject = workloadSubject(w);
      const base = { subject, file: w.file.path, span: w.nameSpan };
      const targeting = autoscalersTargeting(w, autoscalers);
      if (targeting.some(canScaleOut)) {
        ctx.subject(subject);
        continue;
      }
      if (targeting.length > 0) {
        // Every autoscaler that targets it caps it at one replica: the autoscaler overrides spec.replicas.
        const a = targeting[0]!;
        ctx.report({ ...base, messageId: 'capped', data: { name: w.name, autoscaler: a.kind, autoscaler_name: a.obj.name, field: a.kind === 'ScaledObject' ? 'maxReplicaCount' : 'maxReplicas', max: a.maxReplicas ?? 1 } });
        continue;
      }
      if (replicas > 1) {
        ctx.subject(subject);
        continue;
      }
      const data = { name: w.name, services: `${exposing.length > 1 ? 'Services' : 'Service'} ${quotedList(exposing.map((s) => s.name))}`, verb: exposing.length > 1 ? 'send' : 'sends' };
      if (replicas === 0) {
        // Scaled to zero on purpose, perhaps: say so, but do not offer to scale it up.
        ctx.report({ ...base, messageId: 'zero', data });
        continue;
      }
      const fixData: ReplicasFixData = { docStart: w.doc.span[0], specPath: [...w.basePath, 'spec'] };
      ctx.report({
        ...base,
        messageId: hasReplicasField(w) ? 'single' : 'defaulted',
        data,
        // A written value is replaced in place; a new entry goes only into a block spec (block lines in `spec: {…}` are invalid YAML).
        fixes: hasReplicasField(w) || isBlockMapAt(w.doc, pointer(...fixData.specPath)) ? [{ title: 'Set replicas: 2', safe: false, kind: 'replicas' }] : [],
        fixData,
      });
    }
  },
  fix(finding, kind, ctx) {
    if (kind !== 'replicas' || !isFixData(finding.fixData)) return [];
    const { docStart, specPath } = finding.fixData;
    const doc = documentAt(ctx, finding.file, docStart);
    if (!doc) return [];
    const text = ctx.text(finding.file);
    const path = [...specPath, 'replicas'];
    const node = doc.getIn(path, true);
    if (isScalar(node) && node.value !== null) return [setScalar(text, finding.file, doc, path, 2)];
    if (doc.hasIn(path)) return [replaceEntry(text, finding.file, doc, specPath, 'replicas', { replicas: 2 })];
    return [insertEntriesFirst(text, finding.file, doc, specPath, { replicas: 2 })];
  },
});
