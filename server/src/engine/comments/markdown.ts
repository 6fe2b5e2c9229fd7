// Markdown comments: HTML comments `<!-- ... -->` outside code. Fenced code blocks
// (``` or ~~~) and inline code spans are skipped, so examples in docs never count.
import { endOfLine, skipNewline, type Comment } from './types';

function lineStartOf(text: string, i: number): number {
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

export function markdownComments(text: string): Comment[] {
  const out: Comment[] = [];
  let fence: { char: string; length: number } | undefined;
  let line = 0;
  let from = 0;
  for (;;) {
    const end = endOfLine(text, line);
    const content = text.slice(line, end);
    const fenceMatch = from === line ? /^ {0,3}(`{3,}|~{3,})/.exec(content) : null;
    let next = -1;
    if (fence) {
      if (fenceMatch && fenceMatch[1]![0] === fence.char && fenceMatch[1]!.length >= fence.length && content.trim() === fenceMatch[1]) fence = undefined;
    } else if (fenceMatch) {
      fence = { char: fenceMatch[1]![0]!, length: fenceMatch[1]!.length };
    } else {
      let i = from;
      while (i < end) {
        if (text[i] === '`') {
          let run = i;
          while (text[run] === '`') run++;
          const ticks = text.slice(i, run);
          const close = text.indexOf(ticks, run);
          // A code span closes within its paragraph; without a match the backticks are literal.
          i = close >= 0 && !/(\r?\n|\r)[ \t]*(\r?\n|\r)/.test(text.slice(run, close)) ? close + ticks.length : run;
          continue;
        }
        if (text.startsWith('<!--', i)) {
          const close = text.indexOf('-->', i + 4);
          const stop = close < 0 ? text.length : close + 3;
          out.push({ start: i, end: stop, bodyStart: i + 4, bodyEnd: close < 0 ? text.length : close });
          i = stop;
          continue;
        }
        i++;
      }
      if (i > end) next = i; // a code span or a comment ran past this line
    }
    if (next >= 0) {
      if (next >= text.length) break;
      line = lineStartOf(text, next);
      from = next;
      continue;
    }
    if (end >= text.length) break;
    line = skipNewline(text, end);
    from = line;
  }
  return out;
}
