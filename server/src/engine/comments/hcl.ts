// Terraform / HCL comments: `#` and `//` to the end of the line, `/* ... */`. Strings are
// "..." with `\` escapes and `${...}` / `%{...}` templates that hold expressions (and so
// strings of their own); heredocs (`<<EOF`, `<<-EOF`) run to a line holding only the marker.
import { endOfLine, isNewline, lineComment, skipNewline, type Comment } from './types';

class HclLexer {
  readonly comments: Comment[] = [];
  constructor(private readonly text: string) {}

  /** Lexes expressions from `i`; inside a template (`nested`), stops after the closing `}`. */
  code(i: number, nested: boolean): number {
    const t = this.text;
    let depth = 0;
    while (i < t.length) {
      const c = t[i]!;
      if (c === '#' || (c === '/' && t[i + 1] === '/')) {
        const comment = lineComment(t, i, c === '#' ? 1 : 2);
        this.comments.push(comment);
        i = comment.end;
      } else if (c === '/' && t[i + 1] === '*') {
        const close = t.indexOf('*/', i + 2);
        const end = close < 0 ? t.length : close + 2;
        this.comments.push({ start: i, end, bodyStart: i + 2, bodyEnd: close < 0 ? t.length : close });
        i = end;
      } else if (c === '"') {
        i = this.string(i + 1);
      } else if (c === '<' && t[i + 1] === '<' && /^<<-?[A-Za-z_][\w-]*[ \t]*(\r?\n|\r)/.test(t.slice(i, i + 200))) {
        i = this.heredoc(i);
      } else if (c === '{') {
        depth++;
        i++;
      } else if (c === '}') {
        i++;
        if (depth === 0 && nested) return i;
        depth--;
      } else i++;
    }
    return i;
  }

  private string(i: number): number {
    const t = this.text;
    while (i < t.length) {
      const c = t[i]!;
      if (c === '\\') i += 2;
      else if (c === '"') return i + 1;
      else if (isNewline(c)) return i; // unterminated
      else if ((c === '$' || c === '%') && t[i + 1] === '{') i = this.code(i + 2, true);
      else if ((c === '$' || c === '%') && t[i + 1] === c && t[i + 2] === '{') i += 3; // escaped template start
      else i++;
    }
    return i;
  }

  private heredoc(i: number): number {
    const t = this.text;
    const m = /^<<(-?)([A-Za-z_][\w-]*)/.exec(t.slice(i, i + 200))!;
    const marker = m[2]!;
    let line = skipNewline(t, endOfLine(t, i));
    while (line < t.length) {
      const end = endOfLine(t, line);
      if (t.slice(line, end).trim() === marker) return end;
      line = skipNewline(t, end);
      if (line === end) break;
    }
    return t.length;
  }
}

export function hclComments(text: string): Comment[] {
  const lexer = new HclLexer(text);
  lexer.code(0, false);
  return lexer.comments;
}
