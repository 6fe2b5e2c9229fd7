// Pod and container securityContext reads for the k8s security rules, and the small
// plumbing their fixes share (finding the parsed document a finding came from).
import { isMap, isPair, isScalar, stringify, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { FixContext } from '../../server/src/engine/rule';
import type { Finding, TextEdit } from '../../server/src/engine/types';
import { documentAt, get, isObj, type Container, type Obj, type Workload } from './k8s';
import { setScalar, type Path } from './yaml-edit';

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


/** A value in flow style, compact like hand-written manifests (`{runAsUser: 1000}`). */
function flowValue(value: unknown): string {
  if (isObj(value)) return `{${Object.entries(value).map(([k, v]) => flowEntry(k, v)).join(', ')}}`;
  return stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
}

/** `key: value` rendered for a flow map. */
function flowEntry(key: string, value: unknown): string {
  return `${flowValue(key)}: ${flowValue(value)}`;
}

/** Inserts `key: value` into a flow map after its last entry (or into `{}`), leaving everything else as it is. */
function insertIntoFlowMap(file: string, text: string, map: YAMLMap, key: string, value: unknown): TextEdit | undefined {
  if (!map.range) return undefined;
  const last = map.items[map.items.length - 1] as Pair<Node, Node | null> | undefined;
  if (last) {
    const end = last.value?.range?.[1] ?? last.key.range?.[1];
    return end === undefined ? undefined : { file, start: end, end, newText: `, ${flowEntry(key, value)}` };
  }
  const close = text.lastIndexOf('}', map.range[1] - 1);
  const open = text.indexOf('{', map.range[0]);
  if (open < 0 || close <= open) return undefined;
  return { file, start: open + 1, end: close, newText: flowEntry(key, value) };
}

function entryOf(map: YAMLMap, key: string): Pair<Node, Node | null> | undefined {
  return map.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key) as Pair<Node, Node | null> | undefined;
}

/**
 * Sets `securityContext.<field>` on a container: replaces the scalar when the field is
 * there, else inserts it into the securityContext (creating that as needed). Block maps go
 * through `setScalar`; flow-style containers or securityContexts get flow entries.
 */
function setSecurityField(file: string, text: string, doc: Document.Parsed, containerPath: Path, field: string, value: boolean): TextEdit | undefined {
  const container = doc.getIn(containerPath, true);
  if (!isMap(container)) return undefined;
  const fieldPath = [...containerPath, 'securityContext', field];
  // A block container: the YAML-edit writer handles a missing, empty, block or flow securityContext.
  if (!container.flow) return setScalar(text, file, doc, fieldPath, value);
  // A flow container (`- {name: web, image: …}`): everything stays flow.
  const scPair = entryOf(container, 'securityContext');
  if (!scPair) return insertIntoFlowMap(file, text, container, 'securityContext', { [field]: value });
  const sc = scPair.value;
  if (!isMap(sc)) return undefined;
  const existing = entryOf(sc, field);
  if (!existing) return insertIntoFlowMap(file, text, sc, field, value);
  return isScalar(existing.value) ? setScalar(text, file, doc, fieldPath, value) : undefined;
}

/**
 * The fix shared by the container securityContext rules: sets `securityContext.<field>`
 * on the container named by the finding's `ContainerFixData`, creating the map if needed
 * and keeping the container's block or flow style. No edit when the document is gone.
 */
export function setContainerSecurityField(finding: Finding, ctx: FixContext, field: string, value: boolean): TextEdit[] {
  if (!isContainerFixData(finding.fixData)) return [];
  const { docStart, path } = finding.fixData;
  const doc = documentAt(ctx, finding.file, docStart);
  if (!doc) return [];
  const edit = setSecurityField(finding.file, ctx.text(finding.file), doc, path, field, value);
  return edit ? [edit] : [];
}
