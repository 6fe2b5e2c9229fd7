// Text decoding and position arithmetic. Columns are UTF-16 code units everywhere
// (what JS strings, LSP and VS Code use), so CLI and editor agree.
import { createHash } from 'node:crypto';
import type { Pos, Range, Span } from './types';

export type Decoded = { ok: true; text: string; encoding: string } | { ok: false; reason: string };

/** How many leading bytes the encoding and binary sniffs look at. */
const PROBE = 8192;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf16le = new TextDecoder('utf-16le', { ignoreBOM: true });
const utf16be = new TextDecoder('utf-16be', { ignoreBOM: true });
const latin1 = new TextDecoder('latin1');

/**
 * Decodes a file's bytes. UTF-8 (with or without BOM); UTF-16 LE/BE with a BOM, or without
 * one when the NUL pattern of mostly-ASCII UTF-16 is unmistakable; otherwise Latin-1, so
 * that text in a legacy encoding is still read (one unit per byte, nothing lost).
 * Binary content (NUL bytes, or mostly control characters) and UTF-32 are refused with a reason.
 */
export function decode(bytes: Uint8Array): Decoded {
  const n = bytes.length;
  if (n >= 4 && ((bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0 && bytes[3] === 0) || (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff))) {
    return { ok: false, reason: 'unsupported encoding (UTF-32)' };
  }
  if (n >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { ok: true, text: utf16le.decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (n >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { ok: true, text: utf16be.decode(bytes.subarray(2)), encoding: 'utf-16be' };
  const probe = bytes.subarray(0, Math.min(n, PROBE));
  if (probe.includes(0)) {
    const bom16 = utf16WithoutBom(probe);
    if (bom16 === 'le') return { ok: true, text: utf16le.decode(bytes), encoding: 'utf-16le' };
    if (bom16 === 'be') return { ok: true, text: utf16be.decode(bytes), encoding: 'utf-16be' };
    return { ok: false, reason: 'binary file (NUL bytes)' };
  }
  const start = n >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  try {
    return { ok: true, text: utf8.decode(bytes.subarray(start)), encoding: 'utf-8' };
  } catch {
    // Not UTF-8. Text in a single-byte encoding has few control characters; binary has many.
    if (controlShare(probe) > 0.1) return { ok: false, reason: 'binary file (control characters)' };
    return { ok: true, text: latin1.decode(bytes.subarray(start)), encoding: 'latin1' };
  }
}

/** UTF-16 without a BOM: ASCII-range text puts a NUL in every other byte. */
function utf16WithoutBom(probe: Uint8Array): 'le' | 'be' | undefined {
  const pairs = probe.length >> 1;
  if (pairs < 2) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i + 1 < probe.length; i += 2) {
    if (probe[i] === 0) evenNul++;
    if (probe[i + 1] === 0) oddNul++;
  }
  if (oddNul >= pairs * 0.9 && evenNul === 0) return 'le';
  if (evenNul >= pairs * 0.9 && oddNul === 0) return 'be';
  return undefined;
}

/** Share of C0 control bytes other than tab, line feed, form feed, carriage return and escape. */
function controlShare(probe: Uint8Array): number {
  if (probe.length === 0) return 0;
  let controls = 0;
  for (const b of probe) if (b < 0x20 && b !== 9 && b !== 10 && b !== 12 && b !== 13 && b !== 27) controls++;
  return controls / probe.length;
}

export function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

export function shortHash(parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}

/** Offsets where each line starts. Line breaks are LF, CRLF and a lone CR. */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  if (text.indexOf('\r') < 0) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}

/** 1-based line and column (UTF-16 units) of an offset; offsets before the start clamp to 1:1. */
export function offsetToPos(lineStarts: readonly number[], offset: number): Pos {
  const o = Math.max(0, offset);
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= o) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: o - lineStarts[lo]! + 1 };
}

/** The offset of a 1-based position; lines outside the file clamp to the first or last line. */
export function posToOffset(lineStarts: readonly number[], pos: Pos): number {
  const start = lineStarts[Math.min(Math.max(pos.line - 1, 0), lineStarts.length - 1)] ?? 0;
  return start + Math.max(pos.column, 1) - 1;
}

export function spanToRange(lineStarts: readonly number[], span: Span): Range {
  return { start: offsetToPos(lineStarts, span.start), end: offsetToPos(lineStarts, span.end) };
}

/**
 * Applies edits (half-open offsets into `text`). Order in the array does not matter, except
 * that insertions at the same offset appear in array order (as LSP specifies). An insertion
 * at the start or end of a replaced range is fine; overlapping ranges and ranges outside
 * the text are errors.
 */
export function applyEdits(text: string, edits: readonly { start: number; end: number; newText: string }[]): string {
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || a.i - b.i);
  const parts: string[] = [];
  let at = 0;
  for (const { e } of sorted) {
    if (!(e.start >= 0 && e.end >= e.start && e.end <= text.length)) throw new Error(`edit out of range: ${e.start}..${e.end} in a text of length ${text.length}`);
    if (e.start < at) throw new Error(`overlapping edits at offset ${e.start}`);
    parts.push(text.slice(at, e.start), e.newText);
    at = e.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}
