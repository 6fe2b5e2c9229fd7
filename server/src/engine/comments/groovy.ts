// Groovy comments (Jenkinsfile): `//` and `/* ... */` outside strings. Strings: '...',
// "..." (with `${...}` holding code), their triple-quoted forms, slashy strings /.../ where
// an expression may start, and dollar-slashy strings $/.../$.
import { isNewline, lineComment, type Comment } from './types';

/** After these characters a `/` starts a slashy string rather than a division. */
const EXPRESSION_START = new Set(['', '(', '[', '{', ',', '=', ':', '!', '&', '|', '?', ';', '~', '+', '-', '*', '%', '<', '>', '\n', '\r']);

class GroovyLexer {
  readonly comments: Comment[] = [];
  constructor(private readonly text: string) {}

  code(i: number, nested: boolean): number {
    const t = this.text;
    let depth = 0;
    let previous = '';
    while (i < t.length) {
      const c = t[i]!;
      if (c === '/' && t[i + 1] === '/') {
        const comment = lineComment(t, i, 2);
        this.comments.push(comment);
        i = comment.end;
        continue;
      }
      if (c === '/' && t[i + 1] === '*') {
        const close = t.indexOf('*/', i + 2);
        const end = close < 0 ? t.length : close + 2;
        this.comments.push({ start: i, end, bodyStart: i + 2, bodyEnd: close < 0 ? t.length : close });
        i = end;
        continue;
      }
      if (c === ' ' || c === '\t') {
        i++;
        continue;
      }
      if (c === '"' || c === "'") i = this.quoted(i);
      else if (c === '$' && t[i + 1] === '/') i = this.until(i + 2, '/$');
      else if (c === '/' && (EXPRESSION_START.has(previous) || /\b(return|in|case|assert)$/.test(t.slice(Math.max(0, i - 8), i).trimEnd()))) i = this.until(i + 1, '/');
      else if (c === '{') {
        depth++;
        i++;
      } else if (c === '}') {
        i++;
        if (depth === 0 && nested) return i;
        depth--;
      } else i++;
      previous = c === '"' || c === "'" || c === '/' || c === '$' ? 'literal' : c;
    }
    return i;
  }

  private quoted(i: number): number {
    const t = this.text;
    const q = t[i]!;
    const triple = t.startsWith(q.repeat(3), i);
    const close = triple ? q.repeat(3) : q;
    i += close.length;
    while (i < t.length) {
      const c = t[i]!;
      if (c === '\\') i += 2;
      else if (t.startsWith(close, i)) return i + close.length;
      else if (!triple && isNewline(c)) return i;
      else if (q === '"' && c === '$' && t[i + 1] === '{') i = this.code(i + 2, true);
      else i++;
    }
    return i;
  }

  private until(i: number, close: string): number {
    const t = this.text;
    while (i < t.length) {
      if (t[i] === '\\') i += 2;
      else if (t.startsWith(close, i)) return i + close.length;
      else if (close === '/' && isNewline(t[i])) return i;
      else i++;
    }
    return i;
  }
}

export function groovyComments(text: string): Comment[] {
  const lexer = new GroovyLexer(text);
  lexer.code(0, false);
  return lexer.comments;
}
