// How Kubernetes objects refer to each other: Services select pods by labels,
// HorizontalPodAutoscalers (and KEDA ScaledObjects) name their target, PodDisruptionBudgets
// select pods with a label selector. Plain reads over YAML facts, shared by the scaling
// and availability rules.
import type { Evidence, SourceFile, Subject } from '../../server/src/engine/types';
import { IGNORE_ANNOTATION, IGNORE_REASON_ANNOTATION, allObjects, allWorkloads, get, isObj, objectKey, podLabels, type K8sObject, type Obj, type Workload } from './k8s';

/** Namespaces are equal when both name the same one; a missing namespace counts as `default`. */
export function sameNamespace(a: string, b: string): boolean {
  return (a || 'default') === (b || 'default');
}

/** The namespace as people read it (`default` when none is set). */
export function namespaceOf(o: K8sObject): string {
  return o.namespace || 'default';
}

function labelValue(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

/**
 * A Service-style selector (a plain label map) selects `labels` when it is non-empty and
 * every one of its labels is present with the same value. An empty selector selects nothing
 * (a Service without a selector has manually managed endpoints).
 */
export function mapSelects(selector: unknown, labels: Obj): boolean {
  if (!isObj(selector)) return false;
  const entries = Object.entries(selector);
  if (entries.length === 0) return false;
  return entries.every(([k, v]) => labelValue(v) !== undefined && labelValue(labels[k]) === labelValue(v));
}

/**
 * A LabelSelector (`matchLabels` and `matchExpressions` with In, NotIn, Exists,
 * DoesNotExist) matches `labels`. A missing selector matches nothing; an empty one (`{}`)
 * matches everything only when `emptyMatchesAll` (policy/v1 PodDisruptionBudgets).
 */
export function labelSelectorMatches(selector: unknown, labels: Obj, emptyMatchesAll: boolean): boolean {
  if (!isObj(selector)) return false;
  const matchLabels = isObj(selector.matchLabels) ? selector.matchLabels : {};
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) return emptyMatchesAll;
  for (const [k, v] of Object.entries(matchLabels)) {
    if (labelValue(v) === undefined || labelValue(labels[k]) !== labelValue(v)) return false;
  }
  for (const e of expressions) {
    if (!isObj(e) || typeof e.key !== 'string' || typeof e.operator !== 'string') return false;
    const actual = labelValue(labels[e.key]);
    const values = Array.isArray(e.values) ? e.values.map(labelValue).filter((v): v is string => v !== undefined) : [];
    switch (e.operator) {
      case 'In':
        if (actual === undefined || !values.includes(actual)) return false;
        break;
      case 'NotIn':
        if (actual !== undefined && values.includes(actual)) return false;
        break;
      case 'Exists':
        if (actual === undefined) return false;
        break;
      case 'DoesNotExist':
        if (actual !== undefined) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** `app=api, tier=web`, for messages. */
export function describeLabels(labels: Obj): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${labelValue(v) ?? '?'}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/** `'a'`, `'a' and 'b'`, `'a', 'b' and 'c'`. */
export function quotedList(names: readonly string[]): string {
  const q = names.map((n) => `'${n}'`);
  if (q.length <= 1) return q.join('');
  return `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]!}`;
}

/** Services of the workspace whose selector picks the workload's pods (same namespace). */
export function servicesSelecting(w: Workload, services: readonly K8sObject[]): K8sObject[] {
  const labels = podLabels(w);
  return services.filter((s) => s.kind === 'Service' && sameNamespace(s.namespace, w.namespace) && mapSelects(get(s.value, 'spec', 'selector'), labels));
}

/** Every Service in the check's Kubernetes files. */
export function allServices(files: readonly SourceFile[]): K8sObject[] {
  return allObjects(files, 'Service').filter((s) => s.apiVersion === 'v1');
}

/** Something that sets a workload's replica count from load. */
export interface Autoscaler {
  obj: K8sObject;
  /** `HorizontalPodAutoscaler` or `ScaledObject` (KEDA, which manages an HPA). */
  kind: string;
  targetKind: string;
  targetName: string;
  /** The floor of the replica count (HPA default 1, KEDA default 0). */
  minReplicas: number;
  /** The ceiling; undefined when not a number (a manifest error). */
  maxReplicas: number | undefined;
}

function intOr(v: unknown, fallback: number | undefined): number | undefined {
  if (v === undefined || v === null) return fallback;
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

/** HorizontalPodAutoscalers (autoscaling/v1, v2, v2beta*) and KEDA ScaledObjects of the workspace. */
export function allAutoscalers(files: readonly SourceFile[]): Autoscaler[] {
  const out: Autoscaler[] = [];
  for (const o of allObjects(files, 'HorizontalPodAutoscaler', 'ScaledObject')) {
    const ref = get(o.value, 'spec', 'scaleTargetRef');
    if (!isObj(ref) || typeof ref.name !== 'string') continue;
    if (o.kind === 'HorizontalPodAutoscaler' && o.apiVersion.startsWith('autoscaling/')) {
      if (typeof ref.kind !== 'string') continue;
      out.push({ obj: o, kind: o.kind, targetKind: ref.kind, targetName: ref.name, minReplicas: intOr(get(o.value, 'spec', 'minReplicas'), 1) ?? 1, maxReplicas: intOr(get(o.value, 'spec', 'maxReplicas'), undefined) });
    } else if (o.kind === 'ScaledObject' && o.apiVersion.startsWith('keda.sh/')) {
      const targetKind = typeof ref.kind === 'string' ? ref.kind : 'Deployment';
      out.push({ obj: o, kind: o.kind, targetKind, targetName: ref.name, minReplicas: intOr(get(o.value, 'spec', 'minReplicaCount'), 0) ?? 0, maxReplicas: intOr(get(o.value, 'spec', 'maxReplicaCount'), 100) });
    }
  }
  return out;
}

/** Autoscalers whose `scaleTargetRef` names the workload (kind, name, same namespace). */
export function autoscalersTargeting(w: K8sObject, autoscalers: readonly Autoscaler[]): Autoscaler[] {
  return autoscalers.filter((a) => a.targetKind === w.kind && a.targetName === w.name && w.name !== '' && sameNamespace(a.obj.namespace, w.namespace));
}

/** True when the autoscaler can run more than one replica. */
export function canScaleOut(a: Autoscaler): boolean {
  return a.maxReplicas === undefined || a.maxReplicas > 1;
}

/** `spec.replicas`: 1 when missing, undefined when not an integer (a value we cannot decide on). */
export function replicasOf(o: K8sObject): number | undefined {
  return intOr(get(o.value, 'spec', 'replicas'), 1);
}

/** True when `spec.replicas` is written in the manifest. */
export function hasReplicasField(o: K8sObject): boolean {
  const v = get(o.value, 'spec', 'replicas');
  return v !== undefined && v !== null;
}

/** PodDisruptionBudgets (policy/v1, policy/v1beta1) of the workspace. */
export function allDisruptionBudgets(files: readonly SourceFile[]): K8sObject[] {
  return allObjects(files, 'PodDisruptionBudget').filter((o) => o.apiVersion.startsWith('policy/'));
}

/** PodDisruptionBudgets in the workload's namespace whose selector matches its pod template labels. */
export function disruptionBudgetsSelecting(w: Workload, budgets: readonly K8sObject[]): K8sObject[] {
  const labels = podLabels(w);
  return budgets.filter((b) => sameNamespace(b.namespace, w.namespace) && labelSelectorMatches(get(b.value, 'spec', 'selector'), labels, b.apiVersion === 'policy/v1'));
}

/** Evidence pointing at an object's `metadata.name`. */
export function evidenceAt(o: K8sObject, note: string): Evidence {
  return { file: o.file.path, span: o.nameSpan, note };
}

/** The `readiness.dev/ignore` exemption of any object (its own `metadata.annotations`). */
export function objectExemption(o: K8sObject): Subject['exempt'] {
  const annotations = get(o.value, 'metadata', 'annotations');
  if (!isObj(annotations)) return undefined;
  const list = annotations[IGNORE_ANNOTATION];
  const rules = typeof list === 'string' ? list.split(',').map((s) => s.trim()).filter(Boolean) : [];
  if (rules.length === 0) return undefined;
  const r = annotations[IGNORE_REASON_ANNOTATION];
  return { rules, reason: typeof r === 'string' && r.trim() ? r.trim() : undefined };
}

/** The subject for a non-workload object (an Ingress), with its own exemption. */
export function objectSubject(o: K8sObject): Subject {
  return { key: objectKey(o), file: o.file.path, span: o.nameSpan, exempt: objectExemption(o) };
}

/** A Deployment that Services expose, with those Services; the shape the scaling rules start from. */
export interface ExposedDeployment {
  w: Workload;
  exposing: K8sObject[];
}

/** Every Deployment that a Service in the files selects, and the autoscalers of those files. */
export function exposedDeployments(files: readonly SourceFile[]): { deployments: ExposedDeployment[]; autoscalers: Autoscaler[] } {
  const services = allServices(files);
  if (services.length === 0) return { deployments: [], autoscalers: [] };
  const deployments: ExposedDeployment[] = [];
  for (const w of allWorkloads(files)) {
    if (w.kind !== 'Deployment') continue;
    const exposing = servicesSelecting(w, services);
    if (exposing.length > 0) deployments.push({ w, exposing });
  }
  return { deployments, autoscalers: deployments.length > 0 ? allAutoscalers(files) : [] };
}
