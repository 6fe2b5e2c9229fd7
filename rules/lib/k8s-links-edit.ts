// A fix writer for entries that belong at the top of a map (`replicas` and `tls` under
// `spec`, where people expect them), built on the same rendering as rules/lib/yaml-edit.ts.
import { isMap, isPair, isScalar, type Document, type Node } from 'yaml';
import type { TextEdit } from '../../server/src/engine/types';
import { insertEntries, renderBlock, type Path } from './yaml-edit';

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
