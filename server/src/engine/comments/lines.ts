// Line-oriented syntaxes: Dockerfiles, dotenv files, ignore files, requirements files, INI.
import { endOfLine, isBlank, isNewline, lineComment, skipNewline, type Comment } from './types';

/** Calls `each(start, end)` for every line (end excludes the line break). */
function forEachLine(text: string, each: (start: number, end: number) => void): void {
  let i = 0;
  while (i <= text.length) {
    const end = endOfLine(text, i);
    each(i, end);
    if (end >= text.length) return;
    i = skipNewline(text, end);
  }
}

function firstNonBlank(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && isBlank(text[i])) i++;
  return i;
}

/** Comments that must start a line (after indentation): `.gitignore`, `.dockerignore`, INI files. */
export function lineStartComments(text: string, tokens: readonly string[]): Comment[] {
  const out: Comment[] = [];
  forEachLine(text, (start, end) => {
    const i = firstNonBlank(text, start, end);
    if (i < end && tokens.includes(text[i]!)) out.push(lineComment(text, i, 1));
  });
  return out;
}

/** `#` at the start of a line or after whitespace (pip requirements files). */
export function hashAfterBlankComments(text: string): Comment[] {
  const out: Comment[] = [];
  forEachLine(text, (start, end) => {
    for (let i = start; i < end; i++) {
      if (text[i] === '#' && (i === start || isBlank(text[i - 1]))) {
        out.push(lineComment(text, i, 1));
        return;
      }
    }
  });
  return out;
}

const HEREDOC = /<<(-?)[ \t]*(["']?)([A-Za-z_][\w.-]*)\2/g;
/** Instructions whose arguments may open heredocs (BuildKit). */
const HEREDOC_INSTRUCTIONS = /^(RUN|COPY|ADD)$/i;

/**
 * Dockerfile: a comment is a line whose first non-blank character is `#` — also inside an
 * instruction continued with `\` (the builder removes such lines). A `#` anywhere else is an
 * argument. Heredoc bodies (`RUN <<EOF ... EOF`) are content, not comments.
 */
export function dockerfileComments(text: string): Comment[] {
  const out: Comment[] = [];
  const pending: { word: string; tabs: boolean }[] = [];
  // The `# escape=` parser directive changes the line-continuation character.
  const escape = /^\s*#\s*escape\s*=\s*`/im.test(text.slice(0, 500)) ? '`' : '\\';
  let instruction = '';
  let continued = false;
  forEachLine(text, (start, end) => {
    const line = text.slice(start, end);
    if (pending.length > 0) {
      const head = pending[0]!;
      const candidate = head.tabs ? line.replace(/^\t+/, '') : line;
      if (candidate === head.word) pending.shift();
      return;
    }
    const i = firstNonBlank(text, start, end);
    if (text[i] === '#') {
      out.push(lineComment(text, i, 1));
      return;
    }
    if (i === end) return;
    if (!continued) instruction = /^\S+/.exec(text.slice(i, end))?.[0] ?? '';
    continued = line.trimEnd().endsWith(escape);
    if (HEREDOC_INSTRUCTIONS.test(instruction)) for (const m of line.matchAll(HEREDOC)) pending.push({ word: m[3]!, tabs: m[1] === '-' });
  });
  return out;
}

/**
 * dotenv: `#` at the start of a line or after whitespace, outside quotes. A value that
 * starts with a quote runs to the matching quote (it may span lines; `\` escapes inside
 * double quotes and backticks); a quote in the middle of an unquoted value is literal.
 */
export function dotenvComments(text: string): Comment[] {
  const out: Comment[] = [];
  let i = 0;
  let lineStart = true;
  let valueStart = false;
  let assigned = false;
  while (i < text.length) {
    const c = text[i]!;
    if (isNewline(c)) {
      i = skipNewline(text, i);
      lineStart = true;
      valueStart = false;
      assigned = false;
      continue;
    }
    if (isBlank(c)) {
      i++;
      continue;
    }
    const afterBlank = lineStart || isBlank(text[i - 1]);
    if (c === '#' && afterBlank) {
      const comment = lineComment(text, i, 1);
      out.push(comment);
      i = comment.end;
      continue;
    }
    lineStart = false;
    if (valueStart && (c === '"' || c === "'" || c === '`')) {
      valueStart = false;
      i++;
      while (i < text.length && text[i] !== c) i += text[i] === '\\' && c !== "'" ? 2 : 1;
      i++;
      continue;
    }
    valueStart = c === '=' && !assigned;
    if (c === '=') assigned = true;
    i++;
  }
  return out;
}
