// k8s/disruption-budget: Deployments and StatefulSets that run several replicas are covered
// by a PodDisruptionBudget whose selector matches their pods (and which allows some disruption).
import { defineRule } from '../../server/src/engine/rule';
import type { Evidence, Span } from '../../server/src/engine/types';
import { allWorkloads, get, podLabels, spanAt, workloadSubject, type K8sObject, type Workload } from '../lib/k8s';
import {
  allAutoscalers,
  allDisruptionBudgets,
  autoscalersTargeting,
  describeLabels,
  disruptionBudgetsSelecting,
  evidenceAt,
  labelSelectorMatches,
  namespaceOf,
  replicasOf,
} from '../lib/k8s-links';

const KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet']);

/** What the budget says, for evidence: `minAvailable: 1`. */
function budgetOf(pdb: K8sObject): string {
  const parts: string[] = [];
  for (const field of ['minAvailable', 'maxUnavailable']) {
    const v = get(pdb.value, 'spec', field);
    if (typeof v === 'number' || typeof v === 'string') parts.push(`${field}: ${v}`);
  }
  return parts.length > 0 ? parts.join(', ') : 'no minAvailable or maxUnavailable';
}

/**
 * Why the budget allows no voluntary eviction at all (node drains then wait forever), or
 * undefined. `replicas` is the fixed replica count, undefined when an autoscaler sets it.
 */
function blocksEviction(pdb: K8sObject, replicas: number | undefined): { field: string; reason: string } | undefined {
  const maxUnavailable = get(pdb.value, 'spec', 'maxUnavailable');
  if (maxUnavailable === 0 || maxUnavailable === '0' || maxUnavailable === '0%') return { field: 'maxUnavailable', reason: `maxUnavailable: ${String(maxUnavailable)}` };
  const minAvailable = get(pdb.value, 'spec', 'minAvailable');
  if (minAvailable === '100%') return { field: 'minAvailable', reason: 'minAvailable: 100%' };
  if (typeof minAvailable === 'number' && replicas !== undefined && minAvailable >= replicas) return { field: 'minAvailable', reason: `minAvailable: ${minAvailable} with ${replicas} replicas` };
  return undefined;
}

function fieldSpan(pdb: K8sObject, field: string): Span {
  return pdb.doc.spans[`${pdb.base}/spec/${field}`] ? spanAt(pdb.doc, `${pdb.base}/spec/${field}`) : pdb.nameSpan;
}

export default defineRule({
  meta: {
    id: 'k8s/disruption-budget',
    category: 'resilience',
    weight: 1,
    severity: 'info',
    scope: 'workspace',
    title: 'Multi-replica Deployments have a PodDisruptionBudget',
    summary: 'multi-replica Deployments have a PodDisruptionBudget',
    appliesTo: ['k8s'],
    subjects: { singular: 'multi-replica Deployment or StatefulSet', plural: 'multi-replica Deployments and StatefulSets', passing: 'have a PodDisruptionBudget' },
    messages: {
      missing: "{kind} '{name}' runs {replicas} but no PodDisruptionBudget selects its pods ({labels}), so a node drain can evict them all at once",
      blocking: "PodDisruptionBudget '{pdb}' allows no voluntary eviction of {kind} '{name}' ({reason}), so node drains and cluster upgrades stall on it",
    },
  },
  check(ctx) {
    const files = ctx.filesOf('k8s');
    const budgets = allDisruptionBudgets(files);
    const autoscalers = allAutoscalers(files);
    for (const w of allWorkloads(files)) {
      if (!KINDS.has(w.kind)) continue;
      const count = replicaCount(w, autoscalers);
      if (!count) continue;
      const subject = workloadSubject(w);
      const target = `${w.kind}/${w.name}`;
      const matching = disruptionBudgetsSelecting(w, budgets);
      if (matching.length === 0) {
        const labels = podLabels(w);
        const elsewhere = budgets.filter((b) => namespaceOf(b) !== namespaceOf(w) && labelSelectorMatches(get(b.value, 'spec', 'selector'), labels, b.apiVersion === 'policy/v1'));
        const evidence: Evidence[] = [
          { file: w.file.path, span: w.nameSpan, note: `looked for a PodDisruptionBudget in namespace ${namespaceOf(w)} whose selector matches the pod labels of ${target} (${describeLabels(labels)}); found none` },
          ...elsewhere.map((b) => evidenceAt(b, `PodDisruptionBudget '${b.name}' matches those labels in namespace ${namespaceOf(b)}, not ${namespaceOf(w)}`)),
        ];
        ctx.verdict({
          subject,
          status: 'fail',
          evidence,
          report: { messageId: 'missing', data: { kind: w.kind, name: w.name, replicas: count.text, labels: describeLabels(labels) }, file: w.file.path, span: w.nameSpan },
        });
        continue;
      }
      const usable = matching.filter((b) => !blocksEviction(b, count.fixed));
      if (usable.length > 0) {
        ctx.verdict({ subject, status: 'pass', evidence: usable.map((b) => evidenceAt(b, `PodDisruptionBudget '${b.name}' (${b.apiVersion}) selects the pods of ${target} (${budgetOf(b)})`)) });
        continue;
      }
      // Every matching budget forbids eviction: the pods are protected, but maintenance is blocked.
      const pdb = matching[0]!;
      const block = blocksEviction(pdb, count.fixed)!;
      ctx.verdict({
        subject,
        status: 'partial',
        evidence: matching.map((b) => evidenceAt(b, `PodDisruptionBudget '${b.name}' selects the pods of ${target} but allows no eviction (${budgetOf(b)})`)),
        report: { messageId: 'blocking', data: { pdb: pdb.name, kind: w.kind, name: w.name, reason: block.reason }, file: pdb.file.path, span: fieldSpan(pdb, block.field) },
      });
    }
  },
});

/**
 * The replica count that makes the workload a subject: `spec.replicas` above 1, or an
 * autoscaler whose minimum is above 1. `fixed` is the count when no autoscaler sets it.
 */
function replicaCount(w: Workload, autoscalers: ReturnType<typeof allAutoscalers>): { text: string; fixed: number | undefined } | undefined {
  const targeting = autoscalersTargeting(w, autoscalers);
  const floor = targeting.find((a) => a.minReplicas > 1);
  if (floor) return { text: `at least ${floor.minReplicas} replicas (${floor.kind} '${floor.obj.name}')`, fixed: undefined };
  const replicas = replicasOf(w);
  if (replicas === undefined || replicas <= 1) return undefined;
  return { text: `${replicas} replicas`, fixed: targeting.length > 0 ? undefined : replicas };
}
