// Python comments: `#` outside string literals. Strings: '...', "...", triple-quoted,
// with prefixes (r, b, u, f, t and their combinations, any case); f-strings may nest
// expressions (and, since 3.12, strings with the same quote) inside `{...}`.
import { isNewline, lineComment, type Comment } from './types';

const PREFIXES = new Set(['r', 'u', 'b', 'f', 't', 'br', 'rb', 'fr', 'rf', 'tr', 'rt']);

function isIdentStart(c: string): boolean {
  const n = c.charCodeAt(0);
  return (n >= 97 && n <= 122) || (n >= 65 && n <= 90) || n === 95 || n >= 0x80;
}

function isDigit(c: string): boolean {
  const n = c.charCodeAt(0);
  return n >= 48 && n <= 57;
}

function isIdentPart(c: string): boolean {
  return isIdentStart(c) || isDigit(c);
}

class PythonLexer {
  readonly comments: Comment[] = [];
  constructor(private readonly text: string) {}

  run(): Comment[] {
    let i = 0;
    while (i < this.text.length) i = this.step(i, true);
    return this.comments;
  }

  /** Consumes one token (or character) of code at `i`; returns the next offset. */
  private step(i: number, record: boolean): number {
    const t = this.text;
    const c = t[i]!;
    if (c === '#') {
      const comment = lineComment(t, i, 1);
      if (record) this.comments.push(comment);
      return comment.end;
    }
    if (c === '"' || c === "'") return this.string(i, '');
    if (isDigit(c)) {
      let j = i + 1;
      while (j < t.length && (isIdentPart(t[j]!) || t[j] === '.')) j++;
      return j;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < t.length && isIdentPart(t[j]!)) j++;
      const word = t.slice(i, j).toLowerCase();
      if ((t[j] === '"' || t[j] === "'") && PREFIXES.has(word)) return this.string(j, word);
      return j;
    }
    return i + 1;
  }

  /** Skips the string literal whose opening quote is at `q`; returns the offset after it. */
  private string(q: number, prefix: string): number {
    const t = this.text;
    const quote = t[q]!;
    const triple = t.startsWith(quote.repeat(3), q);
    const close = triple ? quote.repeat(3) : quote;
    const formatted = prefix.includes('f') || prefix.includes('t');
    let i = q + close.length;
    while (i < t.length) {
      const c = t[i]!;
      if (c === '\\') {
        i += 2; // even in raw strings a backslash keeps the next quote from closing the string
        continue;
      }
      if (!triple && isNewline(c)) return i; // unterminated: the line ends it
      if (t.startsWith(close, i)) return i + close.length;
      if (formatted && c === '{') {
        if (t[i + 1] === '{') {
          i += 2;
          continue;
        }
        i = this.field(i + 1, close, triple);
        continue;
      }
      i++;
    }
    return i;
  }

  /** Skips an f-string replacement field from just after its `{`; returns the offset after its `}`. */
  private field(i: number, close: string, triple: boolean): number {
    const t = this.text;
    let depth = 0;
    while (i < t.length) {
      const c = t[i]!;
      if (!triple && isNewline(c)) return i;
      if (c === '#' && triple) {
        i = lineComment(t, i, 1).end;
        continue;
      }
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']') depth--;
      else if (c === '}') {
        if (depth === 0) return i + 1;
        depth--;
      } else if (c === ':' && depth === 0) return this.formatSpec(i + 1, close, triple);
      else if (c === '"' || c === "'" || isIdentStart(c) || isDigit(c)) {
        i = this.step(i, false);
        continue;
      }
      i++;
    }
    return i;
  }

  /** A format spec is literal text up to the field's `}`, with nested fields in `{...}`. */
  private formatSpec(i: number, close: string, triple: boolean): number {
    const t = this.text;
    while (i < t.length) {
      const c = t[i]!;
      if (!triple && isNewline(c)) return i;
      if (t.startsWith(close, i)) return i; // the string ends here; let it close
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === '{') {
        i = this.field(i + 1, close, triple);
        continue;
      }
      if (c === '}') return i + 1;
      i++;
    }
    return i;
  }
}

export function pythonComments(text: string): Comment[] {
  return new PythonLexer(text).run();
}
