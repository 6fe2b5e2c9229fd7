// YAML comments from the `yaml` library's lexer: the lexer knows where a `#` starts a
// comment and where it is part of a scalar (quoted strings, block scalars, `a#b`).
import { CST, Lexer } from 'yaml';
import type { Comment } from './types';

/** Lexer tokens that mark structure but take no room in the source. */
const ZERO_WIDTH = new Set([CST.DOCUMENT, CST.FLOW_END, CST.SCALAR]);

export function yamlComments(text: string): Comment[] {
  const out: Comment[] = [];
  let offset = 0;
  let previous = '';
  for (const token of new Lexer().lex(text)) {
    if (ZERO_WIDTH.has(token)) {
      previous = token;
      continue;
    }
    // A token right after the SCALAR marker is a scalar's source, even when it starts with `#`
    // (a block scalar's body at the document's root).
    if (previous !== CST.SCALAR && CST.tokenType(token) === 'comment') {
      // The lexer breaks lines at LF only; a lone CR (old Mac endings) ends the comment too.
      const cr = token.indexOf('\r');
      const end = offset + (cr < 0 ? token.length : cr);
      out.push({ start: offset, end, bodyStart: offset + 1, bodyEnd: end });
    }
    offset += token.length;
    previous = token;
  }
  return out;
}
