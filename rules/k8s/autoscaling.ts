// k8s/autoscaling: every Deployment that a Service exposes is targeted by an autoscaler
// (HorizontalPodAutoscaler, or a KEDA ScaledObject, which manages one) with room to scale.
import { defineRule } from '../../server/src/engine/rule';
import type { Evidence } from '../../server/src/engine/types';
import { workloadSubject } from '../lib/k8s';
import { evidenceAt, exposedDeployments, namespaceOf, quotedList, sameNamespace, type Autoscaler } from '../lib/k8s-links';

function hasRoom(a: Autoscaler): boolean {
  return a.maxReplicas === undefined || a.maxReplicas > a.minReplicas;
}

function range(a: Autoscaler): string {
  return a.maxReplicas === undefined ? `from ${a.minReplicas} replicas up` : `between ${a.minReplicas} and ${a.maxReplicas} replicas`;
}

export default defineRule({
  meta: {
    id: 'k8s/autoscaling',
    category: 'scalability',
    weight: 2,
    severity: 'info',
    scope: 'workspace',
    title: 'Exposed Deployments autoscale',
    summary: 'a HorizontalPodAutoscaler targets each Deployment that a Service exposes',
    appliesTo: ['k8s'],
    subjects: { singular: 'exposed Deployment', plural: 'exposed Deployments', passing: 'have a HorizontalPodAutoscaler' },
    messages: {
      missing: "Deployment '{name}' is exposed by {services} but no HorizontalPodAutoscaler targets it, so its replica count cannot follow load",
      fixedSize: "Deployment '{name}' is exposed by {services}, but {autoscaler} '{autoscaler_name}' cannot scale it: its minimum and maximum are both {max}",
    },
  },
  check(ctx) {
    const { deployments, autoscalers } = exposedDeployments(ctx.filesOf('k8s'));
    for (const { w, exposing } of deployments) {
      const subject = workloadSubject(w);
      const target = `Deployment/${w.name}`;
      const exposedBy = `${exposing.length > 1 ? 'Services' : 'Service'} ${quotedList(exposing.map((s) => s.name))}`;
      const sameName = autoscalers.filter((a) => a.targetKind === w.kind && a.targetName === w.name && w.name !== '');
      const targeting = sameName.filter((a) => sameNamespace(a.obj.namespace, w.namespace));
      const scaling = targeting.filter(hasRoom);
      if (scaling.length > 0) {
        ctx.verdict({
          subject,
          status: 'pass',
          evidence: scaling.map((a) => evidenceAt(a.obj, `${a.kind} '${a.obj.name}' (${a.obj.apiVersion}) scales ${target} ${range(a)}`)),
        });
        continue;
      }
      const report = { file: w.file.path, span: w.nameSpan };
      if (targeting.length > 0) {
        const a = targeting[0]!;
        ctx.verdict({
          subject,
          status: 'fail',
          evidence: targeting.map((t) => evidenceAt(t.obj, `${t.kind} '${t.obj.name}' targets ${target} but its minimum and maximum are both ${t.maxReplicas ?? t.minReplicas}`)),
          report: { ...report, messageId: 'fixedSize', data: { name: w.name, services: exposedBy, autoscaler: a.kind, autoscaler_name: a.obj.name, max: a.maxReplicas ?? a.minReplicas } },
        });
        continue;
      }
      const evidence: Evidence[] = [
        { file: w.file.path, span: w.nameSpan, note: `looked for a HorizontalPodAutoscaler (or KEDA ScaledObject) targeting ${target} in namespace ${namespaceOf(w)}; found none` },
        ...sameName.map((a) => evidenceAt(a.obj, `${a.kind} '${a.obj.name}' targets ${target} in namespace ${namespaceOf(a.obj)}, not ${namespaceOf(w)}`)),
      ];
      ctx.verdict({ subject, status: 'fail', evidence, report: { ...report, messageId: 'missing', data: { name: w.name, services: exposedBy } } });
    }
  },
});
