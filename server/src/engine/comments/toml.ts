// TOML comments (pyproject.toml, Pipfile): `#` outside strings. Basic strings "..." take
// `\` escapes, literal strings '...' do not; both have triple-quoted multi-line forms.
import { isNewline, lineComment, type Comment } from './types';

export function tomlComments(text: string): Comment[] {
  const out: Comment[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '#') {
      const comment = lineComment(text, i, 1);
      out.push(comment);
      i = comment.end;
    } else if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      const close = triple ? c.repeat(3) : c;
      i += close.length;
      while (i < text.length) {
        if (c === '"' && text[i] === '\\') i += 2;
        else if (text.startsWith(close, i)) {
          i += close.length;
          // a multi-line string may end with up to two more quotes ("""a""""")
          while (triple && text[i] === c) i++;
          break;
        } else if (!triple && isNewline(text[i])) break;
        else i++;
      }
    } else i++;
  }
  return out;
}
