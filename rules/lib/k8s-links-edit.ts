// A fix writer for entries that belong at the top of a map (`replicas` and `tls` under
// `spec`, where people expect them), built on the same rendering as rules/lib/yaml-edit.ts.
import { isMap, isPair, isScalar, type Document, type Node } from 'yaml';
import type { TextEdit } from '../../server/src/engine/types';
import { insertEntries, renderBlock, replaceEntry, type Path } from './yaml-edit';

function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/**
 * Inserts `entries` as the first entries of the block map at `path`, on the line after its
 * key (`spec:`), so comments above the map's current first entry stay with that entry.
 * When the map is missing, empty, a flow map, or not the value of a key on its own line,
 * it falls back to `insertEntries` (which appends or creates it).
 */
export function insertEntriesFirst(text: string, file: string, doc: Document.Parsed, path: Path, entries: Record<string, unknown>): TextEdit {
  const fallback = (): TextEdit => insertEntries(text, file, doc, path, entries);
  if (path.length === 0) return fallback();
  const key = path[path.length - 1];
  if (typeof key !== 'string') return fallback();
  const node = doc.getIn(path, true);
  if (!isMap(node) || node.flow || node.items.length === 0) return fallback();
  const parentPath = path.slice(0, -1);
  const parent = parentPath.length === 0 ? doc.contents : doc.getIn(parentPath, true);
  if (!isMap(parent)) return fallback();
  const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
  const keyNode = pair?.key as Node | undefined;
  const firstKey = node.items[0]!.key as Node | null;
  if (!keyNode?.range || !firstKey?.range) return fallback();
  const firstStart = firstKey.range[0];
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const lineEnd = text.indexOf('\n', keyNode.range[1]);
  if (lineEnd < 0 || lineEnd >= firstStart) return fallback();
  const at = lineEnd + 1;
  const indent = firstStart - lineStartOf(text, firstStart);
  return { file, start: at, end: at, newText: renderBlock(entries, indent, nl) };
}

/**
 * Gives the existing entry `key` of the map at `mapPath` a new block value (`tls: []` →
 * `tls:` followed by a block sequence), rendered on the lines below the key. The old value
 * must sit on the key's line; a comment after it stays on that line. A value spanning
 * several lines is replaced with `replaceEntry`.
 */
export function setBlockValue(text: string, file: string, doc: Document.Parsed, mapPath: Path, key: string, value: unknown): TextEdit[] {
  const map = mapPath.length === 0 ? doc.contents : doc.getIn(mapPath, true);
  const pair = isMap(map) ? map.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key) : undefined;
  const keyNode = pair?.key as Node | undefined;
  if (!pair || !keyNode?.range) throw new Error(`no entry ${key} to set`);
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const colon = text.indexOf(':', keyNode.range[1]);
  const valueNode = pair.value as Node | null;
  const valueEnd = valueNode?.range ? Math.max(valueNode.range[1], colon + 1) : colon + 1;
  let lineEnd = text.indexOf('\n', colon);
  if (lineEnd < 0) lineEnd = text.length;
  if (valueEnd > lineEnd) return [replaceEntry(text, file, doc, mapPath, key, { [key]: value })];
  if (lineEnd > 0 && text[lineEnd - 1] === '\r') lineEnd--;
  const keyCol = keyNode.range[0] - lineStartOf(text, keyNode.range[0]);
  const block = renderBlock(value, keyCol + 2, nl);
  return [
    { file, start: colon + 1, end: valueEnd, newText: '' },
    { file, start: lineEnd, end: lineEnd, newText: nl + block.slice(0, block.length - nl.length) },
  ];
}
