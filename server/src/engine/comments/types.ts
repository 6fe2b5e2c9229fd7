// A comment found by a language's tokenizer: where it is, and where its text is.

export interface Comment {
  /** Offset of the comment's first character (its opening token). */
  start: number;
  /** Offset just past the comment (past its closing token; a line comment ends before the newline). */
  end: number;
  /** Offset of the text after the opening token. */
  bodyStart: number;
  /** Offset of the end of the text, before any closing token. */
  bodyEnd: number;
}

export function lineComment(text: string, start: number, tokenLength: number): Comment {
  const end = endOfLine(text, start);
  return { start, end, bodyStart: start + tokenLength, bodyEnd: end };
}

/** Offset of the first line break at or after `i` (or the text's length). */
export function endOfLine(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
    i++;
  }
  return i;
}

/** Offset just past the line break at `i`, if there is one there. */
export function skipNewline(text: string, i: number): number {
  if (text.charCodeAt(i) === 13) return text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
  if (text.charCodeAt(i) === 10) return i + 1;
  return i;
}

export function isNewline(c: string | undefined): boolean {
  return c === '\n' || c === '\r';
}

export function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}
