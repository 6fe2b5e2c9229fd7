// Pod and container securityContext reads for the k8s security rules, and the small
// plumbing their fixes share (finding the parsed document a finding came from).
import type { Document } from 'yaml';
import type { FixContext } from '../../server/src/engine/rule';
import { get, isObj, type Container, type Obj, type Workload } from './k8s';
import type { Path } from './yaml-edit';

/** The container's own `securityContext` (empty when absent). */
export function containerSecurityContext(c: Container): Obj {
  return isObj(c.value.securityContext) ? c.value.securityContext : {};
}

/** The pod's `securityContext` (empty when absent). */
export function podSecurityContext(w: Workload): Obj {
  return isObj(w.podSpec.securityContext) ? w.podSpec.securityContext : {};
}

export type SettingSource = 'container' | 'pod';

/**
 * A setting that both the pod and the container securityContext may hold
 * (`runAsUser`, `runAsNonRoot`, `runAsGroup`, `seccompProfile` …): the container's wins.
 */
export function effectiveSetting(w: Workload, c: Container, key: string): { value: unknown; from?: SettingSource } {
  const own = containerSecurityContext(c)[key];
  if (own !== undefined && own !== null) return { value: own, from: 'container' };
  const pod = podSecurityContext(w)[key];
  if (pod !== undefined && pod !== null) return { value: pod, from: 'pod' };
  return { value: undefined };
}

/** Pods that run on Windows nodes (`spec.os.name: windows`), where Linux user and filesystem settings do not apply. */
export function isWindowsPod(w: Workload): boolean {
  return get(w.podSpec, 'os', 'name') === 'windows';
}

/** What a container fix needs: the document (by its start offset) and the container's key path. */
export interface ContainerFixData {
  docStart: number;
  path: Path;
}

export function isContainerFixData(v: unknown): v is ContainerFixData {
  return isObj(v) && typeof v.docStart === 'number' && Array.isArray(v.path) && v.path.every((p) => typeof p === 'string' || typeof p === 'number');
}

/**
 * The parsed document that starts at `docStart`. Facts skip empty documents and
 * documents with errors, so a fact's document index need not match the parser's list;
 * the start offset does.
 */
export function parsedDocAt(ctx: FixContext, file: string, docStart: number): Document.Parsed | undefined {
  return ctx.yamlDocuments(file).find((d) => d.range[0] === docStart);
}
