// Fix writers for YAML: render new nodes with the `yaml` library and insert them as
// text at the right place and indentation, so the rest of the file (comments, quoting,
// key order, blank lines) stays exactly as it was.
import { isMap, isPair, isScalar, isSeq, stringify, type Document, type Node, type Pair } from 'yaml';
import type { TextEdit } from './types';

export type Path = (string | number)[];

function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

function columnOf(text: string, offset: number): number {
  return offset - lineStartOf(text, offset);
}

function eol(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** Renders `value` as block YAML, every line indented by `indent` spaces, each ending with a newline. */
export function renderBlock(value: unknown, indent: number, newline = '\n'): string {
  const body = stringify(value, { indent: 2, lineWidth: 0, minContentWidth: 0 });
  const pad = ' '.repeat(indent);
  return body
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => (l.length > 0 ? pad + l : l))
    .join(newline) + newline;
}

/** The offset just after the end of the line holding `offset` (or the text's end). */
function afterLine(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset;
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

function findPair(doc: Document.Parsed, mapPath: Path, key: string): Pair<Node, Node | null> | undefined {
  const map = mapPath.length === 0 ? doc.contents : doc.getIn(mapPath, true);
  if (!isMap(map)) return undefined;
  return map.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key) as Pair<Node, Node | null> | undefined;
}

/**
 * Inserts `entries` into the map at `path` (creating the map, and missing parents, as
 * needed). Existing keys are not touched: callers insert only what is missing.
 */
export function insertEntries(text: string, file: string, doc: Document.Parsed, path: Path, entries: Record<string, unknown>): TextEdit {
  const nl = eol(text);
  const node = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (isMap(node) && !node.flow && node.items.length > 0) {
    const first = node.items[0]!;
    const firstKey = first.key as Node;
    const indent = columnOf(text, firstKey.range![0]);
    const last = node.items[node.items.length - 1]!;
    const lastEnd = (last.value as Node | null)?.range?.[1] ?? (last.key as Node).range![1];
    let at = afterLine(text, lastEnd);
    let prefix = '';
    if (at === text.length && !text.endsWith('\n')) prefix = nl;
    // Keep trailing blank lines and comments that belong to what follows after the insertion.
    if (at > text.length) at = text.length;
    return { file, start: at, end: at, newText: prefix + renderBlock(entries, indent, nl) };
  }
  if (path.length === 0) throw new Error('cannot insert into a document whose root is not a block map');
  const parentPath = path.slice(0, -1);
  const key = path[path.length - 1]!;
  if (typeof key === 'number') throw new Error('cannot create or rewrite a sequence item');
  if (!findPair(doc, parentPath, key)) {
    // The map does not exist: insert `key: entries` into the parent.
    return insertEntries(text, file, doc, parentPath, { [key]: entries });
  }
  // The key exists with an empty or flow value (`resources:` or `resources: {}`): rewrite it as a block.
  const pair = findPair(doc, parentPath, key);
  if (!pair) throw new Error(`no entry ${key} to rewrite`);
  const keyNode = pair.key as Node;
  const keyCol = columnOf(text, keyNode.range![0]);
  const existing = pair.value && (isMap(pair.value) || isSeq(pair.value)) ? (pair.value.toJSON() as Record<string, unknown>) : {};
  const merged = { ...(isMap(pair.value) ? existing : {}), ...entries };
  const colon = text.indexOf(':', keyNode.range![1]);
  const valueEnd = pair.value?.range ? Math.max(pair.value.range[1], colon + 1) : colon + 1;
  const block = renderBlock(merged, keyCol + 2, nl);
  return { file, start: colon + 1, end: valueEnd, newText: nl + block.slice(0, block.length - nl.length) };
}

/**
 * Replaces the entry `key` of the map at `mapPath` with `entries` rendered at the key's
 * column (e.g. `value: hunter2` → `valueFrom: {secretKeyRef: …}` as a block).
 */
export function replaceEntry(text: string, file: string, doc: Document.Parsed, mapPath: Path, key: string, entries: Record<string, unknown>): TextEdit {
  const nl = eol(text);
  const pair = findPair(doc, mapPath, key);
  if (!pair) throw new Error(`no entry ${key} to replace`);
  const keyNode = pair.key as Node;
  const start = keyNode.range![0];
  const col = columnOf(text, start);
  let end = pair.value?.range ? pair.value.range[1] : keyNode.range![1] + 1;
  // A block scalar's range takes in its trailing line breaks: keep them.
  while (end > start && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
  const block = renderBlock(entries, col, nl);
  return { file, start, end, newText: block.slice(col, block.length - nl.length) };
}

/** Sets the scalar at `path` (replacing its text), or inserts it into the parent map. */
export function setScalar(text: string, file: string, doc: Document.Parsed, path: Path, value: string | number | boolean): TextEdit {
  const node = doc.getIn(path, true);
  if (isScalar(node) && node.range) {
    let end = node.range[1];
    while (end > node.range[0] && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
    return { file, start: node.range[0], end, newText: stringify(value).replace(/\n$/, '') };
  }
  const key = path[path.length - 1];
  if (typeof key !== 'string') throw new Error('cannot set a sequence item');
  return insertEntries(text, file, doc, path.slice(0, -1), { [key]: value });
}

/**
 * Joins insertions at the same offset into one edit, in the order they were made (a fix
 * that inserts several blocks at one place). Both may start with the newline that a file
 * without a final one needs: one is kept.
 */
export function mergeInsertions(edits: readonly TextEdit[]): TextEdit[] {
  const out: TextEdit[] = [];
  for (const e of edits) {
    const same = e.start === e.end ? out.find((o) => o.start === e.start && o.end === e.start) : undefined;
    if (same) same.newText += same.newText.endsWith('\n') ? e.newText.replace(/^\r?\n/, '') : e.newText;
    else out.push({ ...e });
  }
  return out;
}
