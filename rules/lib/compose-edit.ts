// Fix writers for compose files: they re-read a service from the file's current text and
// edit scalars and sequences in place, keeping quoting, comments and indentation.
import { isMap, isScalar, isSeq, Scalar, stringify, type Document, type Node } from 'yaml';
import type { FixContext } from '../../server/src/engine/rule';
import type { TextEdit } from '../../server/src/engine/types';
import { documentAt, isObj, nodeData, type Obj } from './k8s';
import { ensureEntries } from './resources';
import type { Path } from './yaml-edit';

/** The service map a fix edits, re-read from the file's current text; undefined when it is gone or not a block map. */
export function serviceForFix(ctx: FixContext, file: string, offset: number, name: string): { text: string; doc: Document.Parsed; path: Path; value: Obj } | undefined {
  const doc = documentAt(ctx, file, offset);
  if (!doc || doc.errors.length > 0) return undefined;
  const path = ['services', name];
  const node = doc.getIn(path, true);
  if (!isMap(node) || node.flow) return undefined;
  const value = nodeData(node, doc);
  if (!isObj(value)) return undefined;
  return { text: ctx.text(file), doc, path, value };
}

function inFlow(doc: Document.Parsed, path: Path): boolean {
  const parent = path.length <= 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  return (isMap(parent) || isSeq(parent)) && parent.flow === true;
}

/** Renders a scalar in the style of the one it replaces (quotes kept; plain when it can stay plain). */
function renderLike(old: Scalar | undefined, value: string, flow: boolean, quote = false): string {
  const s = new Scalar(value);
  const type = old?.type;
  if (quote || (typeof old?.value !== 'string' && type === 'PLAIN')) s.type = 'QUOTE_DOUBLE';
  else if (type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE') s.type = type;
  else s.type = 'PLAIN';
  if (flow && s.type === 'PLAIN' && /[[\]{},]/.test(value)) s.type = 'QUOTE_DOUBLE';
  return stringify(s, { lineWidth: 0 }).replace(/\n$/, '');
}

/** Replaces the scalar at `path` with `value`, keeping its quoting. */
export function replaceScalar(text: string, file: string, doc: Document.Parsed, path: Path, value: string, quote = false): TextEdit | undefined {
  const node = doc.getIn(path, true);
  if (!isScalar(node) || !node.range) return undefined;
  let end = node.range[1];
  while (end > node.range[0] && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
  return { file, start: node.range[0], end, newText: renderLike(node, value, inFlow(doc, path), quote) };
}

function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

function afterLine(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset;
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

/**
 * Appends a string item to the sequence at `path`: a block sequence gets a new `- item`
 * line at its dash column, a flow sequence a new element; a missing (or empty) key is
 * created as a block sequence.
 */
export function appendItem(text: string, file: string, doc: Document.Parsed, path: Path, value: string): TextEdit[] {
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const node = doc.getIn(path, true);
  if (isSeq(node) && node.items.length > 0) {
    const first = node.items[0] as Node;
    const last = node.items[node.items.length - 1] as Node;
    if (!first.range || !last.range) return [];
    if (node.flow) {
      return [{ file, start: last.range[1], end: last.range[1], newText: ', ' + renderLike(undefined, value, true) }];
    }
    let dash = first.range[0] - 1;
    while (dash >= 0 && (text[dash] === ' ' || text[dash] === '\t')) dash--;
    if (text[dash] !== '-') return [];
    const col = dash - lineStartOf(text, dash);
    let lastEnd = last.range[1];
    while (lastEnd > last.range[0] && (text[lastEnd - 1] === '\n' || text[lastEnd - 1] === '\r')) lastEnd--;
    const at = afterLine(text, lastEnd);
    const prefix = at === text.length && !text.endsWith('\n') ? nl : '';
    return [{ file, start: at, end: at, newText: `${prefix}${' '.repeat(col)}- ${renderLike(undefined, value, false)}${nl}` }];
  }
  if (isSeq(node) && node.flow && node.range) {
    const open = text.indexOf('[', node.range[0]);
    if (open < 0 || open >= node.range[1]) return [];
    return [{ file, start: open + 1, end: open + 1, newText: renderLike(undefined, value, true) }];
  }
  const key = path[path.length - 1];
  if (typeof key !== 'string') return [];
  if (node === undefined) return ensureEntries(text, file, doc, path.slice(0, -1), { [key]: [value] });
  if (node !== null && !(isScalar(node) && (node.value === null || node.value === ''))) return [];
  // `key:` with nothing after it: the item goes on the next line, below the key.
  const parent = doc.getIn(path.slice(0, -1), true);
  const pair = isMap(parent) ? parent.items.find((p) => isScalar(p.key) && p.key.value === key) : undefined;
  const keyRange = pair && isScalar(pair.key) ? pair.key.range : undefined;
  if (!keyRange) return [];
  const colon = text.indexOf(':', keyRange[1]);
  const written = isScalar(node) && node.range ? text.slice(colon + 1, node.range[1]).trim() : '';
  const end = /^(?:~|null|Null|NULL|""|'')$/.test(written) ? text.indexOf(written, colon + 1) + written.length : colon + 1;
  const at = afterLine(text, end);
  const prefix = at === text.length && !text.endsWith('\n') ? nl : '';
  const col = keyRange[0] - lineStartOf(text, keyRange[0]);
  const edits: TextEdit[] = [];
  if (end > colon + 1) edits.push({ file, start: colon + 1, end, newText: '' });
  edits.push({ file, start: at, end: at, newText: `${prefix}${' '.repeat(col + 2)}- ${renderLike(undefined, value, false)}${nl}` });
  return edits;
}
