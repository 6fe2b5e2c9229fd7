// YAML → plain facts: each document's value plus the span of every node by JSON pointer.
// Parsing uses the `yaml` library; nothing here is a hand-written YAML reader.
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Node, type Document } from 'yaml';
import type { NodeSpan, ParseError, YamlDoc, YamlFacts } from '../types';

/** Alias expansions allowed per document before it is treated as an alias bomb. */
export const MAX_ALIAS_COUNT = 100;

export function parseYamlDocuments(text: string): Document.Parsed[] {
  return parseAllDocuments(text, { merge: true, prettyErrors: false, keepSourceTokens: false }) as Document.Parsed[];
}

export function escapePointer(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointer(...segments: (string | number)[]): string {
  return segments.map((s) => '/' + escapePointer(s)).join('');
}

function keyString(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

function walk(node: Node | null | undefined, ptr: string, spans: Record<string, NodeSpan>, depth: number): void {
  if (!node || depth > 200) return;
  const r = node.range;
  if (r) spans[ptr] = { ...(spans[ptr] ?? {}), v: [r[0], r[1]] };
  if (isAlias(node)) return;
  if (isMap(node)) {
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const k = keyString(item.key);
      const childPtr = ptr + '/' + escapePointer(k);
      const keyNode = item.key as Node | null;
      const valueNode = item.value as Node | null;
      if (keyNode && keyNode.range) spans[childPtr] = { v: keyNode.range ? [keyNode.range[1], keyNode.range[1]] : [0, 0], k: [keyNode.range[0], keyNode.range[1]] };
      if (valueNode) walk(valueNode, childPtr, spans, depth + 1);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => walk(item as Node, ptr + '/' + i, spans, depth + 1));
  }
}

export function yamlFacts(text: string): { facts: YamlFacts; errors: ParseError[] } {
  const errors: ParseError[] = [];
  const docs: YamlDoc[] = [];
  let parsed: Document.Parsed[];
  try {
    parsed = parseYamlDocuments(text);
  } catch (e) {
    return { facts: { docs }, errors: [{ message: `YAML: ${(e as Error).message}` }] };
  }
  for (const [index, doc] of parsed.entries()) {
    if (doc.errors.length > 0) {
      for (const err of doc.errors) errors.push({ message: `YAML: ${firstLine(err.message)}`, offset: err.pos[0] });
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      errors.push({ message: `YAML: ${firstLine((e as Error).message)}`, offset: doc.range[0] });
      continue;
    }
    if (value === null || value === undefined) continue;
    const spans: Record<string, NodeSpan> = {};
    walk(doc.contents as Node | null, '', spans, 0);
    docs.push({ index, value, spans, span: [doc.range[0], doc.range[2]] });
  }
  return { facts: { docs }, errors };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}
