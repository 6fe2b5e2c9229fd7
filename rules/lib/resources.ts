// Container settings that rules ask for and fixes insert: resource limits and requests,
// and the YAML writer those fixes share (`ensureEntries`: add only what is missing,
// keep everything else, comments included).
import { isMap, isPair, isScalar, stringify, type Document, type Node, type Pair } from 'yaml';
import type { CheckContext, FixContext } from '../../server/src/engine/rule';
import type { Finding, FixOffer, TextEdit, YamlDoc } from '../../server/src/engine/types';
import { allWorkloads, containerSubject, documentAt, isObj, nodeData, type Container, type Obj, type Workload } from './k8s';
import { insertEntries, mergeInsertions, renderBlock, type Path } from './yaml-edit';

export const RESOURCES = ['cpu', 'memory'] as const;
export type ResourceName = (typeof RESOURCES)[number];
export type ResourceSection = 'limits' | 'requests';

/** A setting is present when it has a value: a key with nothing after it (`cpu:`) or `""` does not count. */
export function isSet(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v.trim() !== '';
  return true;
}

/** The value of `resources.<section>.<name>` of a container, when it is set. */
export function resourceValue(container: Obj, section: ResourceSection, name: ResourceName): unknown {
  const resources = container.resources;
  if (!isObj(resources)) return undefined;
  const map = resources[section];
  if (!isObj(map)) return undefined;
  return isSet(map[name]) ? map[name] : undefined;
}

/** "Container", "Init container" or "Sidecar container" (an init container with `restartPolicy: Always`). */
export function containerRole(c: Container): string {
  if (!c.init) return 'Container';
  return c.value.restartPolicy === 'Always' ? 'Sidecar container' : 'Init container';
}

/** The data every container message of these rules names: role, container, kind and workload. */
export function containerData(w: Workload, c: Container): Record<string, string> {
  return { role: containerRole(c), name: c.name, kind: w.kind, workload: w.name || '(unnamed)' };
}

/**
 * Whether the nodes that exist along `keys` below the map at `ptr` are written out in this
 * document, not reached through an alias (`deploy: *defaults`) or a merge key (`<<: *defaults`),
 * and carry no anchor (`deploy: &defaults {…}`): a writer cannot add to those without changing
 * every other user of the anchor (or, rewriting a flow map, dropping the anchor they refer to).
 */
export function writableAlong(doc: YamlDoc, ptr: string, keys: readonly string[]): boolean {
  let value: unknown = ptr.split('/').slice(1).reduce<unknown>((v, k) => (isObj(v) ? v[k.replace(/~1/g, '/').replace(/~0/g, '~')] : Array.isArray(v) ? v[Number(k)] : undefined), doc.value);
  let at = ptr;
  for (const key of keys) {
    if (!isObj(value) || !(key in value)) return true;
    value = value[key];
    at = `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (!doc.spans[at] || doc.spans[at].a) return false;
    const filled = (isObj(value) && Object.keys(value).length > 0) || (Array.isArray(value) && value.length > 0);
    if (filled && !Object.keys(doc.spans).some((p) => p.startsWith(at + '/'))) return false;
  }
  return true;
}

/**
 * Whether the map at `ptr` is written in block style (fix writers can insert lines into
 * it). A block map starts at its first key; a flow map (`{…}`) starts before it.
 */
export function isBlockMapAt(doc: YamlDoc, ptr: string): boolean {
  const own = doc.spans[ptr];
  if (!own) return false;
  let first = Infinity;
  for (const [p, s] of Object.entries(doc.spans)) {
    if (!s.k || !p.startsWith(ptr + '/')) continue;
    if (p.indexOf('/', ptr.length + 1) >= 0) continue;
    first = Math.min(first, s.k[0]);
  }
  return first !== Infinity && first === own.v[0];
}

/** What a container fix needs: which container (checked again when the fix runs). */
export interface ContainerFixData {
  path: Path;
  name: string;
}

export function containerFixData(c: Container): ContainerFixData {
  return { path: c.path, name: c.name };
}


/**
 * Re-reads the container a finding points at from the file's current text. Undefined when
 * the file changed so much that the container is not where it was, or it is no longer a map.
 */
export function containerForFix(finding: Finding, ctx: FixContext): { text: string; doc: Document.Parsed; data: ContainerFixData; value: Obj } | undefined {
  const data = finding.fixData as ContainerFixData | undefined;
  if (!data || !Array.isArray(data.path)) return undefined;
  const text = ctx.text(finding.file);
  const doc = documentAt(ctx, finding.file, finding.span.start);
  if (!doc || doc.errors.length > 0) return undefined;
  const node = doc.getIn(data.path, true);
  if (!isMap(node)) return undefined;
  const value = nodeData(node, doc);
  if (!isObj(value)) return undefined;
  const name = typeof value.name === 'string' ? value.name : `#${String(data.path[data.path.length - 1])}`;
  if (name !== data.name) return undefined;
  return { text, doc, data, value };
}

// ---------------------------------------------------------------------------------------
// ensureEntries: the YAML writer.

function lineEndAfter(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

function newlineOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function pairOf(map: Node, key: string): Pair<Node, Node | null> | undefined {
  if (!isMap(map)) return undefined;
  return map.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key) as Pair<Node, Node | null> | undefined;
}

/** A value with nothing in it: `key:`, `key: ~`, `key: ""` or `key: {}`. */
function isEmptyNode(node: Node | null): boolean {
  if (node === null) return true;
  if (isScalar(node)) return node.value === null || (typeof node.value === 'string' && node.value.trim() === '');
  return isMap(node) && node.items.length === 0;
}

function isPlainRecord(v: unknown): v is Record<string, unknown> {
  return isObj(v);
}

/** `base` with every entry of `add` that it lacks (deeply); nothing in `base` changes. */
function withMissing(base: unknown, add: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = isPlainRecord(base) ? { ...base } : {};
  for (const [k, v] of Object.entries(add)) {
    const cur = out[k];
    if (!isSet(cur) || (isPlainRecord(cur) && Object.keys(cur).length === 0)) out[k] = v;
    else if (isPlainRecord(cur) && isPlainRecord(v)) out[k] = withMissing(cur, v);
  }
  return out;
}

interface Writer {
  text: string;
  file: string;
  doc: Document.Parsed;
  nl: string;
}

/**
 * Gives the entry `pair` (whose value is empty, or a flow map) the value `value`: a scalar
 * goes on the key's line; a map replaces the value's text and is written as a block on
 * the lines after the key, so a comment on the key's line stays where it was.
 */
function fill(w: Writer, pair: Pair<Node, Node | null>, value: unknown): TextEdit[] {
  const keyNode = pair.key;
  const keyEnd = keyNode.range![1];
  const colon = w.text.indexOf(':', keyEnd);
  const rawEnd = pair.value?.range ? Math.max(pair.value.range[1], colon + 1) : colon + 1;
  // An empty value has no text of its own (the parser may place it at a following comment).
  const valueEnd = w.text.slice(colon + 1, rawEnd).trim() === '' ? colon + 1 : rawEnd;
  if (!isPlainRecord(value)) {
    const rendered = stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
    return [{ file: w.file, start: colon + 1, end: valueEnd, newText: ' ' + rendered }];
  }
  const keyCol = keyNode.range![0] - lineStartOf(w.text, keyNode.range![0]);
  const at = lineEndAfter(w.text, valueEnd);
  const prefix = at === w.text.length && !/\n$/.test(w.text) ? w.nl : '';
  // Drop the old value's text (and trailing spaces when no comment follows on the line).
  const rest = w.text.slice(valueEnd, at).replace(/\r?\n$/, '');
  const removeTo = rest.trim() === '' ? valueEnd + rest.length : valueEnd;
  const removeFrom = colon + 1;
  const edits: TextEdit[] = [];
  if (removeTo > removeFrom) edits.push({ file: w.file, start: removeFrom, end: removeTo, newText: '' });
  edits.push({ file: w.file, start: at, end: at, newText: prefix + renderBlock(value, keyCol + 2, w.nl) });
  return edits;
}

/** Adds the missing parts of `entries` to the block map at `path` (which exists). */
function ensureIn(w: Writer, path: Path, entries: Record<string, unknown>): TextEdit[] {
  const node = path.length === 0 ? w.doc.contents : w.doc.getIn(path, true);
  if (!isMap(node) || node.flow) return [];
  const edits: TextEdit[] = [];
  const absent: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entries)) {
    const pair = pairOf(node, k);
    if (!pair) {
      absent[k] = v;
      continue;
    }
    const val = pair.value;
    if (isEmptyNode(val)) edits.push(...fill(w, pair, v));
    else if (isPlainRecord(v) && isMap(val) && val.flow) edits.push(...fill(w, pair, withMissing(val.toJSON(), v)));
    else if (isPlainRecord(v) && isMap(val)) edits.push(...ensureIn(w, [...path, k], v));
    // Otherwise the entry has a value of its own: it is never changed.
  }
  if (Object.keys(absent).length > 0) edits.push(insertEntries(w.text, w.file, w.doc, path, absent));
  return mergeInsertions(edits);
}


/**
 * Makes every leaf of `entries` present under the map at `path`, inserting only what is
 * missing: existing values are never changed; an entry with an empty value (`cpu:`,
 * `resources: {}`) gets the value; a flow map on the way is rewritten as a block with its
 * entries kept; missing maps (and their missing parents) are created. The nearest block
 * map at or above `path` must exist (else nothing is returned). Running it again on the
 * result returns no edits.
 */
export function ensureEntries(text: string, file: string, doc: Document.Parsed, path: Path, entries: Record<string, unknown>): TextEdit[] {
  const w: Writer = { text, file, doc, nl: newlineOf(text) };
  let at = [...path];
  let nested: Record<string, unknown> = entries;
  for (;;) {
    const node = at.length === 0 ? doc.contents : doc.getIn(at, true);
    if (isMap(node) && !node.flow) return ensureIn(w, at, nested);
    if (at.length === 0) return [];
    const key = at[at.length - 1]!;
    if (typeof key !== 'string') return [];
    nested = { [key]: nested };
    at = at.slice(0, -1);
  }
}

/**
 * Placeholder resources for the keys a container lacks. A limit copies the container's
 * request for the same resource when there is one (a limit below the request is invalid).
 */
export function placeholders(container: Obj, section: ResourceSection, missing: readonly ResourceName[], defaults: Record<ResourceName, string>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const name of missing) {
    const request = section === 'limits' ? resourceValue(container, 'requests', name) : undefined;
    values[name] = request ?? defaults[name];
  }
  return values;
}

// ---------------------------------------------------------------------------------------
// The resource rules (`k8s/resource-limits`, `k8s/resource-requests`) share one check.

export interface ResourceRuleOptions {
  section: ResourceSection;
  /** Placeholder values the fix inserts. */
  defaults: Record<ResourceName, string>;
  /**
   * Whether a missing key is nonetheless in effect: Kubernetes copies a container's limit
   * into its request when the request is not set.
   */
  impliedBy?: ResourceSection;
}

/** The resources of `section` a container does not set, in the order cpu, memory. */
export function missingResources(container: Obj, opts: ResourceRuleOptions): ResourceName[] {
  return RESOURCES.filter((name) => resourceValue(container, opts.section, name) === undefined && (opts.impliedBy === undefined || resourceValue(container, opts.impliedBy, name) === undefined));
}

function messageIdOf(missing: readonly ResourceName[]): string {
  if (missing.length === RESOURCES.length) return 'missing';
  return missing[0] === 'cpu' ? 'missingCpu' : 'missingMemory';
}

/** Reports each container that lacks a resource of the section; a container missing one of two gets half credit. */
export function checkResources(ctx: CheckContext, opts: ResourceRuleOptions): void {
  for (const w of allWorkloads(ctx.filesOf('k8s'))) {
    for (const c of w.containers) {
      const subject = containerSubject(w, c);
      const missing = missingResources(c.value, opts);
      if (missing.length === 0) {
        ctx.subject(subject);
        continue;
      }
      const values = placeholders(c.value, opts.section, missing, opts.defaults);
      const shown = Object.entries(values).map(([k, v]) => `${k}: ${String(v)}`).join(', ');
      const fixes: FixOffer[] = isBlockMapAt(w.doc, c.ptr) ? [{ title: `Add placeholder ${opts.section} (${shown})`, safe: false, kind: opts.section }] : [];
      ctx.report({
        subject,
        messageId: messageIdOf(missing),
        data: containerData(w, c),
        file: w.file.path,
        span: c.nameSpan,
        fixes,
        fixData: containerFixData(c),
        credit: missing.length < RESOURCES.length ? 0.5 : undefined,
      });
    }
  }
}

/** Inserts the placeholder values the container still lacks under `resources.<section>`. */
export function fixResources(finding: Finding, kind: string, ctx: FixContext, opts: ResourceRuleOptions): TextEdit[] {
  if (kind !== opts.section) return [];
  const found = containerForFix(finding, ctx);
  if (!found) return [];
  const missing = missingResources(found.value, opts);
  if (missing.length === 0) return [];
  const values = placeholders(found.value, opts.section, missing, opts.defaults);
  return ensureEntries(found.text, finding.file, found.doc, found.data.path, { resources: { [opts.section]: values } });
}
