// Decoding, positions and edits: the arithmetic every finding and fix depends on.
import * as assert from 'node:assert/strict';
import { applyEdits, decode, lineStartsOf, offsetToPos, posToOffset, spanToRange } from '../server/src/engine/text';

function utf16(text: string, order: 'le' | 'be', bom: boolean): Uint8Array {
  const le = Buffer.from(text, 'utf16le');
  const bytes = order === 'le' ? le : Buffer.from(le).swap16();
  const mark = order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff];
  return bom ? Buffer.concat([Buffer.from(mark), bytes]) : bytes;
}

function decoded(bytes: Uint8Array): { text: string; encoding: string } {
  const d = decode(bytes);
  assert.ok(d.ok, `expected text, got ${d.ok ? '' : d.reason}`);
  return { text: d.text, encoding: d.encoding };
}

describe('text: decode', () => {
  const sample = 'apiVersion: v1\nkind: ConfigMap # café ✓ 😀\n';

  it('reads UTF-8, with and without a BOM (the BOM is not part of the text)', () => {
    assert.deepEqual(decoded(Buffer.from(sample, 'utf8')), { text: sample, encoding: 'utf-8' });
    assert.deepEqual(decoded(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(sample, 'utf8')])), { text: sample, encoding: 'utf-8' });
  });

  it('reads UTF-16 LE and BE with a BOM', () => {
    assert.deepEqual(decoded(utf16(sample, 'le', true)), { text: sample, encoding: 'utf-16le' });
    assert.deepEqual(decoded(utf16(sample, 'be', true)), { text: sample, encoding: 'utf-16be' });
  });

  it('recognises mostly-ASCII UTF-16 without a BOM', () => {
    const ascii = 'apiVersion: v1\nkind: Pod\n';
    assert.deepEqual(decoded(utf16(ascii, 'le', false)), { text: ascii, encoding: 'utf-16le' });
    assert.deepEqual(decoded(utf16(ascii, 'be', false)), { text: ascii, encoding: 'utf-16be' });
  });

  it('falls back to Latin-1 for bytes that are not UTF-8, keeping one unit per byte', () => {
    const bytes = Buffer.from('name: caf\xe9 \xfcber\n', 'latin1');
    const d = decoded(bytes);
    assert.equal(d.encoding, 'latin1');
    assert.equal(d.text, 'name: café über\n');
    assert.equal(d.text.length, bytes.length);
  });

  it('refuses binary content with a reason', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    const nul = decode(png);
    assert.ok(!nul.ok);
    assert.match(nul.reason, /binary/);
    const controls = Buffer.from(Array.from({ length: 400 }, (_, i) => [0x01, 0x02, 0x9c, 0xff, 0x41][i % 5]!));
    const c = decode(controls);
    assert.ok(!c.ok);
    assert.match(c.reason, /binary/);
    const utf32 = decode(Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x41, 0x00, 0x00, 0x00]));
    assert.ok(!utf32.ok);
    assert.match(utf32.reason, /UTF-32/);
  });

  it('reads an empty file as empty text', () => {
    assert.deepEqual(decoded(new Uint8Array(0)), { text: '', encoding: 'utf-8' });
  });
});

describe('text: positions', () => {
  it('finds line starts for LF, CRLF and lone CR', () => {
    assert.deepEqual(lineStartsOf(''), [0]);
    assert.deepEqual(lineStartsOf('a\nb\n'), [0, 2, 4]);
    assert.deepEqual(lineStartsOf('a\r\nb\r\n'), [0, 3, 6]);
    assert.deepEqual(lineStartsOf('a\rb\r\nc\nd'), [0, 2, 5, 7]);
    assert.deepEqual(lineStartsOf('\r\n\r\n'), [0, 2, 4]);
  });

  it('counts columns in UTF-16 code units (astral characters are two)', () => {
    const text = 'a: 😀x\nb: é😀😀y\n';
    const starts = lineStartsOf(text);
    assert.deepEqual(offsetToPos(starts, text.indexOf('x')), { line: 1, column: 6 });
    assert.deepEqual(offsetToPos(starts, text.indexOf('y')), { line: 2, column: 9 });
    assert.deepEqual(spanToRange(starts, { start: text.indexOf('😀'), end: text.indexOf('x') }), { start: { line: 1, column: 4 }, end: { line: 1, column: 6 } });
  });

  it('round-trips every offset, with CRLF, lone CR and astral characters', () => {
    const text = 'apiVersion: v1\r\nkind: 😀\r\n\rname: "é"\n\n😀😀\r\nend';
    const starts = lineStartsOf(text);
    for (let o = 0; o <= text.length; o++) {
      const pos = offsetToPos(starts, o);
      assert.equal(posToOffset(starts, pos), o, `offset ${o}`);
    }
    const crlfLine2 = text.indexOf('kind');
    assert.deepEqual(offsetToPos(starts, crlfLine2), { line: 2, column: 1 });
    assert.deepEqual(offsetToPos(starts, text.indexOf('\r\n')), { line: 1, column: 15 });
    assert.deepEqual(offsetToPos(starts, text.indexOf('name')), { line: 4, column: 1 });
  });

  it('clamps positions outside the text', () => {
    const starts = lineStartsOf('ab\ncd');
    assert.deepEqual(offsetToPos(starts, -5), { line: 1, column: 1 });
    assert.equal(posToOffset(starts, { line: 0, column: 1 }), 0);
    assert.equal(posToOffset(starts, { line: 99, column: 2 }), 4);
  });
});

describe('text: applyEdits', () => {
  it('applies edits given in any order', () => {
    const text = 'a: 1\nb: 2\nc: 3\n';
    const edits = [
      { start: 13, end: 14, newText: '30' },
      { start: 3, end: 4, newText: '10' },
      { start: 8, end: 9, newText: '20' },
    ];
    assert.equal(applyEdits(text, edits), 'a: 10\nb: 20\nc: 30\n');
    assert.equal(applyEdits(text, [...edits].reverse()), 'a: 10\nb: 20\nc: 30\n');
  });

  it('keeps insertions at one offset in array order, before a replacement starting there', () => {
    assert.equal(
      applyEdits('abc', [
        { start: 1, end: 1, newText: 'X' },
        { start: 1, end: 1, newText: 'Y' },
      ]),
      'aXYbc',
    );
    assert.equal(
      applyEdits('abcd', [
        { start: 1, end: 3, newText: 'R' },
        { start: 1, end: 1, newText: 'I' },
        { start: 3, end: 3, newText: 'J' },
      ]),
      'aIRJd',
    );
    assert.equal(applyEdits('abc', []), 'abc');
  });

  it('rejects overlapping edits and edits outside the text', () => {
    assert.throws(
      () =>
        applyEdits('abcdef', [
          { start: 1, end: 4, newText: '' },
          { start: 3, end: 5, newText: '' },
        ]),
      /overlapping edits at offset 3/,
    );
    assert.throws(
      () =>
        applyEdits('abcdef', [
          { start: 1, end: 4, newText: '' },
          { start: 2, end: 2, newText: 'x' },
        ]),
      /overlapping/,
    );
    assert.throws(
      () =>
        applyEdits('abcdef', [
          { start: 2, end: 3, newText: '' },
          { start: 2, end: 3, newText: 'x' },
        ]),
      /overlapping/,
    );
    assert.throws(() => applyEdits('abc', [{ start: 2, end: 9, newText: '' }]), /out of range/);
    assert.throws(() => applyEdits('abc', [{ start: 2, end: 1, newText: '' }]), /out of range/);
  });
});
