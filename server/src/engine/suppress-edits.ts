// Edits that suppress a finding: a directive comment above its line, or the
// `readiness.dev/ignore` annotation on the Kubernetes workload that holds it.
import { isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import { commentStyle, commentSyntax } from './comments/index';
import { parseYamlDocuments } from './parse/yaml';
import { lineStartsOf } from './text';
import { insertEntries, setScalar } from './yaml-edit';
import type { ArtifactKind, Finding, TextEdit } from './types';

export const REASON_PLACEHOLDER = '<reason>';
const IGNORE_ANNOTATION = 'readiness.dev/ignore';
const IGNORE_REASON_ANNOTATION = 'readiness.dev/ignore-reason';

/**
 * `<comment> readiness-ignore-next-line <rule> -- <reasonPrefix><reason>` inserted above the
 * finding's first line, at that line's indentation.
 */
export function ignoreLineEdit(text: string, finding: Pick<Finding, 'ruleId' | 'range'>, file: string, kinds: readonly ArtifactKind[], reasonPrefix = ''): TextEdit | undefined {
  const style = commentStyle(commentSyntax(kinds, file));
  if (!style) return undefined;
  const starts = lineStartsOf(text);
  const lineStart = starts[finding.range.start.line - 1] ?? 0;
  let i = lineStart;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  const indent = text.slice(lineStart, i);
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  return { file, start: lineStart, end: lineStart, newText: `${indent}${style.open}readiness-ignore-next-line ${finding.ruleId} -- ${reasonPrefix}${REASON_PLACEHOLDER}${style.close}${nl}` };
}

function containing(node: Node | null | undefined, offset: number): boolean {
  return Boolean(node?.range && node.range[0] <= offset && offset <= node.range[2]);
}

/** The Kubernetes object (a document, or an item of a List) that contains `offset`. */
function objectAt(doc: Document.Parsed, offset: number): { path: (string | number)[]; node: Node } | undefined {
  const root = doc.contents as Node | null;
  if (!isMap(root) || !containing(root, offset)) return undefined;
  const items = root.get('items', true);
  if (isSeq(items)) {
    for (let i = 0; i < items.items.length; i++) {
      const item = items.items[i] as Node;
      if (isMap(item) && containing(item, offset) && item.has('kind')) return { path: ['items', i], node: item };
    }
  }
  return root.has('kind') ? { path: [], node: root } : undefined;
}

/**
 * Adds the rule to the `readiness.dev/ignore` annotation of the workload holding the
 * finding (creating `metadata.annotations` as needed), with a reason placeholder.
 */
export function ignoreWorkloadEdits(text: string, finding: Pick<Finding, 'ruleId' | 'span'>, file: string): TextEdit[] | undefined {
  for (const doc of parseYamlDocuments(text)) {
    if (doc.errors.length > 0) continue;
    const hit = objectAt(doc, finding.span.start);
    if (!hit) continue;
    const annotationsPath = [...hit.path, 'metadata', 'annotations'];
    const existing = doc.getIn([...annotationsPath, IGNORE_ANNOTATION], true);
    if (isScalar(existing)) {
      const ids = String(existing.value)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (ids.includes(finding.ruleId)) return undefined;
      return [setScalar(text, file, doc, [...annotationsPath, IGNORE_ANNOTATION], [...ids, finding.ruleId].join(','))];
    }
    const entries: Record<string, string> = { [IGNORE_ANNOTATION]: finding.ruleId };
    if (!doc.hasIn([...annotationsPath, IGNORE_REASON_ANNOTATION])) entries[IGNORE_REASON_ANNOTATION] = REASON_PLACEHOLDER;
    return [insertEntries(text, file, doc, annotationsPath, entries)];
  }
  return undefined;
}
