// Text decoding and position arithmetic. Columns are UTF-16 code units everywhere
// (what JS strings, LSP and VS Code use), so CLI and editor agree.
import { createHash } from 'node:crypto';
import type { Pos, Range, Span } from './types';

export type Decoded = { ok: true; text: string; encoding: string } | { ok: false; reason: string };

/** Decodes a file's bytes: UTF-8 (with or without BOM) or UTF-16 with BOM; binary is refused. */
export function decode(bytes: Uint8Array): Decoded {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { ok: true, text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { ok: true, text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  }
  const probe = bytes.subarray(0, Math.min(bytes.length, 8192));
  if (probe.includes(0)) return { ok: false, reason: 'binary file (NUL bytes)' };
  let start = 0;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start)), encoding: 'utf-8' };
  } catch {
    // Not UTF-8: read as Latin-1 so that positions stay one unit per byte and nothing is lost.
    return { ok: true, text: new TextDecoder('latin1').decode(bytes.subarray(start)), encoding: 'latin1' };
  }
}

export function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

export function shortHash(parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}

export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}

export function offsetToPos(lineStarts: readonly number[], offset: number): Pos {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
}

export function posToOffset(lineStarts: readonly number[], pos: Pos): number {
  const start = lineStarts[Math.min(Math.max(pos.line - 1, 0), lineStarts.length - 1)] ?? 0;
  return start + pos.column - 1;
}

export function spanToRange(lineStarts: readonly number[], span: Span): Range {
  return { start: offsetToPos(lineStarts, span.start), end: offsetToPos(lineStarts, span.end) };
}

/** Applies edits (offsets into `text`) from last to first. Overlapping edits are an error. */
export function applyEdits(text: string, edits: readonly { start: number; end: number; newText: string }[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.end > limit) throw new Error(`overlapping edits at offset ${e.start}`);
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
    limit = e.start;
  }
  return out;
}
