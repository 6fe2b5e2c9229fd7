// Kubernetes objects as the k8s rules see them: workloads, their pod specs and
// containers, with spans and stable subject keys. Plain reads over YAML facts.
import { memoFor, type FileMemoEntry } from '../../server/src/engine/rule-memo';
import type { Document, Node } from 'yaml';
import { pointer } from '../../server/src/engine/parse/yaml';
import type { FixContext } from '../../server/src/engine/rule';
import type { Span, SourceFile, Subject, YamlDoc } from '../../server/src/engine/types';

export type Obj = Record<string, unknown>;

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/** Workloads that run until stopped (asked for probes); Jobs and CronJobs finish. */
export const LONG_RUNNING: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Pod']);

export const IGNORE_ANNOTATION = 'readiness.dev/ignore';
export const IGNORE_REASON_ANNOTATION = 'readiness.dev/ignore-reason';

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads a nested value by keys; undefined when any step is missing or of the wrong type. */
export function get(v: unknown, ...path: (string | number)[]): unknown {
  let cur: unknown = v;
  for (const key of path) {
    if (typeof key === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[key];
    } else {
      if (!isObj(cur)) return undefined;
      cur = cur[key];
    }
  }
  return cur;
}

/** A Kubernetes object inside a YAML document (a document, or an item of a `List`). */
export interface K8sObject {
  file: SourceFile;
  doc: YamlDoc;
  /** Index of the document among `ctx.yamlDocuments(file)` (empty documents included). */
  docIndex: number;
  /** Pointer of the object inside the document ("" or "/items/3"). */
  base: string;
  /** Key path of the object inside the document ([] or ['items', 3]). */
  basePath: (string | number)[];
  value: Obj;
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  /** The `metadata.name` value's span, else the object's start. */
  nameSpan: Span;
}

export interface Container {
  name: string;
  index: number;
  init: boolean;
  value: Obj;
  /** Pointer of the container map in its document. */
  ptr: string;
  /** Key path of the container map in its document (for fix writers). */
  path: (string | number)[];
  nameSpan: Span;
}

export interface Workload extends K8sObject {
  kind: WorkloadKind;
  /** The pod spec (`spec`, `spec.template.spec` or `spec.jobTemplate.spec.template.spec`). */
  podSpec: Obj;
  podSpecPath: (string | number)[];
  podSpecPtr: string;
  /** The pod template's metadata path (absent for a bare Pod, whose metadata is the object's). */
  podMetaPath: (string | number)[];
  containers: Container[];
  exempt?: Subject['exempt'];
}

/** Span of the node at `ptr`, falling back to the nearest ancestor that has one. */
export function spanAt(doc: YamlDoc, ptr: string): Span {
  let p = ptr;
  for (;;) {
    const s = doc.spans[p];
    if (s) return { start: s.v[0], end: s.v[1] };
    if (p === '') return { start: doc.span[0], end: doc.span[0] };
    p = p.slice(0, p.lastIndexOf('/'));
  }
}

/** Span of the key at `ptr` (a map entry), else of its value. */
export function keySpanAt(doc: YamlDoc, ptr: string): Span {
  const s = doc.spans[ptr];
  if (s?.k) return { start: s.k[0], end: s.k[1] };
  return spanAt(doc, ptr);
}

const objectsMemo = new WeakMap<object, FileMemoEntry<K8sObject[]>>();
const workloadsMemo = new WeakMap<object, FileMemoEntry<Workload[]>>();

/** Every Kubernetes object in the file (memoised per SourceFile, which lives while its text does). */
export function objects(file: SourceFile): K8sObject[] {
  return memoFor(objectsMemo, file, () => computeObjects(file));
}

function computeObjects(file: SourceFile): K8sObject[] {
  const out: K8sObject[] = [];
  const docs = file.facts.yaml?.docs ?? [];
  docs.forEach((doc) => {
    const docIndex = doc.index;
    const visit = (value: unknown, basePath: (string | number)[]): void => {
      if (!isObj(value)) return;
      const apiVersion = value.apiVersion;
      const kind = value.kind;
      if (typeof apiVersion !== 'string' || typeof kind !== 'string') return;
      if (kind.endsWith('List') && Array.isArray(value.items)) {
        value.items.forEach((item, i) => visit(item, [...basePath, 'items', i]));
        return;
      }
      const base = pointer(...basePath);
      const nameRaw = get(value, 'metadata', 'name');
      const name = typeof nameRaw === 'string' || typeof nameRaw === 'number' ? String(nameRaw) : '';
      const nsRaw = get(value, 'metadata', 'namespace');
      const namespace = typeof nsRaw === 'string' ? nsRaw : '';
      const namePtr = base + '/metadata/name';
      const nameSpan = doc.spans[namePtr] ? spanAt(doc, namePtr) : spanAt(doc, base + '/kind');
      out.push({ file, doc, docIndex, base, basePath, value, apiVersion, kind, name, namespace, nameSpan });
    };
    visit(doc.value, []);
  });
  return out;
}

function podSpecPathOf(kind: WorkloadKind): string[] {
  switch (kind) {
    case 'Pod':
      return ['spec'];
    case 'CronJob':
      return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
    default:
      return ['spec', 'template', 'spec'];
  }
}

function exemptionOf(...annotationMaps: unknown[]): Subject['exempt'] {
  const rules: string[] = [];
  let reason: string | undefined;
  for (const a of annotationMaps) {
    if (!isObj(a)) continue;
    const list = a[IGNORE_ANNOTATION];
    if (typeof list === 'string') for (const id of list.split(',')) if (id.trim()) rules.push(id.trim());
    const r = a[IGNORE_REASON_ANNOTATION];
    if (typeof r === 'string' && r.trim() && reason === undefined) reason = r.trim();
  }
  return rules.length > 0 ? { rules, reason } : undefined;
}

export function isWorkload(o: K8sObject): o is Workload {
  return (WORKLOAD_KINDS as readonly string[]).includes(o.kind);
}

/** Every workload in the file, with its containers (initContainers first, flagged `init`). */
export function workloads(file: SourceFile): Workload[] {
  return memoFor(workloadsMemo, file, () => computeWorkloads(file));
}

function computeWorkloads(file: SourceFile): Workload[] {
  const out: Workload[] = [];
  for (const o of objects(file)) {
    if (!(WORKLOAD_KINDS as readonly string[]).includes(o.kind)) continue;
    const kind = o.kind as WorkloadKind;
    const rel = podSpecPathOf(kind);
    const podSpec = get(o.value, ...rel);
    if (!isObj(podSpec)) continue;
    const podSpecPath = [...o.basePath, ...rel];
    const podSpecPtr = pointer(...podSpecPath);
    const podMetaPath = kind === 'Pod' ? [...o.basePath, 'metadata'] : [...o.basePath, ...rel.slice(0, -1), 'metadata'];
    const containers: Container[] = [];
    for (const [field, init] of [['initContainers', true], ['containers', false]] as const) {
      const list = podSpec[field];
      if (!Array.isArray(list)) continue;
      list.forEach((c, index) => {
        if (!isObj(c)) return;
        const path = [...podSpecPath, field, index];
        const ptr = pointer(...path);
        const name = typeof c.name === 'string' ? c.name : `#${index}`;
        const nameSpan = o.doc.spans[ptr + '/name'] ? spanAt(o.doc, ptr + '/name') : spanAt(o.doc, ptr);
        containers.push({ name, index, init, value: c, ptr, path, nameSpan });
      });
    }
    const exempt = exemptionOf(get(o.value, 'metadata', 'annotations'), kind === 'Pod' ? undefined : get(o.value, ...rel.slice(0, -1), 'metadata', 'annotations'));
    out.push({ ...o, kind, podSpec, podSpecPath, podSpecPtr, podMetaPath, containers, exempt });
  }
  return out;
}

/** Stable identity of an object: file, kind, namespace, name (and document index when unnamed). */
export function objectKey(o: K8sObject): string {
  return `${o.file.path}#${o.kind}/${o.namespace}/${o.name || `doc${o.docIndex}${o.base}`}`;
}

export function containerKey(w: Workload, c: Container): string {
  return `${objectKey(w)}/${c.init ? 'initContainer' : 'container'}/${c.name}`;
}

/** The subject for a container (carries the workload's `readiness.dev/ignore` exemption). */
export function containerSubject(w: Workload, c: Container): Subject {
  return { key: containerKey(w, c), file: w.file.path, span: c.nameSpan, exempt: w.exempt };
}

export function workloadSubject(w: Workload): Subject {
  return { key: objectKey(w), file: w.file.path, span: w.nameSpan, exempt: w.exempt };
}

/** Every workload in every Kubernetes file of the check. */
export function allWorkloads(files: readonly SourceFile[]): Workload[] {
  return files.flatMap((f) => workloads(f));
}

/** Every object of the given kinds in the check's Kubernetes files. */
export function allObjects(files: readonly SourceFile[], ...kinds: string[]): K8sObject[] {
  return files.flatMap((f) => objects(f)).filter((o) => kinds.length === 0 || kinds.includes(o.kind));
}

/** Labels of the pod template (what Services select and PDBs match). */
export function podLabels(w: Workload): Obj {
  const labels = get(w.value, ...w.podMetaPath.slice(w.basePath.length), 'labels');
  return isObj(labels) ? labels : {};
}

/**
 * A node's data with aliases resolved against its document (a bare `toJSON()` turns an alias
 * into undefined); undefined when the aliases expand too far.
 */
export function nodeData(node: Node, doc: Document.Parsed): unknown {
  try {
    return node.toJS(doc, { maxAliasCount: 1000 });
  } catch {
    return undefined;
  }
}

/**
 * The parsed document (as fix writers need it) that holds `offset` — a document's start
 * or any offset inside it, such as a finding's span — in the file's current text.
 */
export function documentAt(ctx: FixContext, file: string, offset: number): Document.Parsed | undefined {
  const docs = ctx.yamlDocuments(file);
  return docs.find((d, i) => d.range[0] <= offset && (offset < d.range[2] || i === docs.length - 1));
}
