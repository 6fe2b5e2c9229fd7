// Engine ↔ LSP shapes: 1-based engine ranges to 0-based LSP ranges, offsets to positions.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Diagnostic, DiagnosticSeverity, type Range, type TextEdit as LspTextEdit } from 'vscode-languageserver';
import { rootRelative } from '../engine/index';
import { lineStartsOf, offsetToPos } from '../engine/text';
import type { Finding, Range as EngineRange, Severity, TextEdit } from '../engine/types';
import type { DiagnosticData } from '../protocol';

export function toLspRange(r: EngineRange): Range {
  return { start: { line: r.start.line - 1, character: r.start.column - 1 }, end: { line: r.end.line - 1, character: r.end.column - 1 } };
}

export function toLspSeverity(s: Severity): DiagnosticSeverity {
  return s === 'error' ? DiagnosticSeverity.Error : s === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information;
}

/** The absolute path of a finding's file. */
export function findingPath(f: Finding, roots: readonly string[]): string {
  return path.resolve(f.root, rootRelative(f, roots));
}

export function fileUri(absPath: string): string {
  return pathToFileURL(absPath).toString();
}

export function toDiagnostic(f: Finding, docsUrl: (id: string) => string): Diagnostic {
  const data: DiagnosticData = { fingerprint: f.fingerprint };
  return {
    range: toLspRange(f.range),
    severity: toLspSeverity(f.severity),
    source: 'readiness',
    code: f.ruleId,
    codeDescription: { href: docsUrl(f.ruleId) },
    message: f.message,
    data,
  };
}

/** Converts engine edits (offsets into `text`) to LSP edits. */
export function toLspEdits(text: string, edits: readonly TextEdit[]): LspTextEdit[] {
  const starts = lineStartsOf(text);
  const pos = (offset: number) => {
    const p = offsetToPos(starts, offset);
    return { line: p.line - 1, character: p.column - 1 };
  };
  return edits.map((e) => ({ range: { start: pos(e.start), end: pos(e.end) }, newText: e.newText }));
}
