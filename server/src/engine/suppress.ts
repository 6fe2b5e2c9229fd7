// Inline suppression directives, read from each file's comments with the file's own
// tokenizer (comments/): a `#` or `//` inside a string is never a comment.
//
//   readiness-ignore-next-line <rule-id>[, <rule-id>] -- <reason>   the next code line
//   readiness-ignore-line <rule-id>[, <rule-id>] -- <reason>        this line
//   readiness-ignore-file <rule-id>[, <rule-id>] -- <reason>        the file (first 10 lines only)
import { commentSyntax, findComments, type Comment } from './comments';
import { lineStartsOf, offsetToPos } from './text';
import type { ArtifactKind, Directive } from './types';

export const DIRECTIVE_PREFIX = 'readiness-ignore';
/** A file directive counts only when its comment starts on one of these first lines. */
export const FILE_DIRECTIVE_LINES = 10;

const DIRECTIVE = /^readiness-ignore-(next-line|line|file)(?=\s|$)/;
const RULE_ID = /^[a-z0-9][\w.-]*\/[\w.-]+$/i;

export interface ParsedDirective {
  kind: Directive['kind'];
  rules: string[];
  reason?: string;
}

/**
 * Reads a directive from a comment's text (without the comment tokens). The directive must
 * open the comment; rule ids are separated by commas or spaces and end at `--` (or at the
 * first word that is not a rule id); the reason is everything after `--`. No rule id: no directive.
 */
export function parseDirective(body: string): ParsedDirective | undefined {
  const text = body.replace(/^[\s*#/]*/, '');
  const m = DIRECTIVE.exec(text);
  if (!m) return undefined;
  // Continuation lines of a block comment read as one line (a leading `*` is decoration).
  const rest = text.slice(m[0].length).replace(/[ \t]*(?:\r?\n|\r)[ \t]*(?:\*(?!\/))?/g, ' ');
  const sep = rest.indexOf('--');
  const ids = (sep < 0 ? rest : rest.slice(0, sep)).split(/[\s,]+/).filter((s) => s.length > 0);
  const rules: string[] = [];
  for (const id of ids) {
    if (!RULE_ID.test(id)) break;
    if (!rules.includes(id)) rules.push(id);
  }
  if (rules.length === 0) return undefined;
  let reason = sep < 0 ? '' : rest.slice(sep + 2).trim().replace(/\s+/g, ' ');
  // A placeholder left by a quick fix ("-- <reason>") is not a reason.
  if (/^<[^<>]*>$/.test(reason)) reason = '';
  const kind = m[1] as Directive['kind'];
  return reason ? { kind, rules, reason } : { kind, rules };
}

/** For each line (index 0 = line 1): does it hold anything besides comments and blanks? */
function codeLines(text: string, comments: readonly Comment[], lineStarts: readonly number[]): boolean[] {
  const code = new Array<boolean>(lineStarts.length).fill(false);
  let line = 0;
  let next = 0; // index of the next comment at or after i
  for (let i = 0; i < text.length; i++) {
    while (line + 1 < lineStarts.length && lineStarts[line + 1]! <= i) line++;
    while (next < comments.length && comments[next]!.end <= i) next++;
    const comment = comments[next];
    if (comment && comment.start <= i) {
      i = comment.end - 1;
      continue;
    }
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 0xfeff) code[line] = true;
  }
  return code;
}

/**
 * The suppression directives of a file, in order. `kinds` (and `path`, for the few kinds
 * that do not decide the syntax alone: `.tsx` vs `.ts`, `pyproject.toml` vs `requirements.txt`)
 * choose the tokenizer. Malformed directives (no rule id) and file directives below the
 * first ten lines are ignored.
 */
export function findDirectives(text: string, kinds: readonly ArtifactKind[], path?: string, tsTree?: object): Directive[] {
  if (!text.includes(DIRECTIVE_PREFIX)) return [];
  const syntax = commentSyntax(kinds, path);
  if (syntax === 'none') return [];
  const comments = findComments(text, syntax, path, tsTree);
  const lineStarts = lineStartsOf(text);
  let hasCode: boolean[] | undefined;
  const out: Directive[] = [];
  for (const c of comments) {
    const body = text.slice(c.bodyStart, c.bodyEnd);
    if (!body.includes(DIRECTIVE_PREFIX)) continue;
    const parsed = parseDirective(body);
    if (!parsed) continue;
    const first = offsetToPos(lineStarts, c.start).line;
    const span = { start: c.start, end: c.end };
    if (parsed.kind === 'file') {
      if (first > FILE_DIRECTIVE_LINES) continue;
      out.push({ ...parsed, span, targetLine: 0 });
    } else if (parsed.kind === 'line') {
      out.push({ ...parsed, span, targetLine: first });
    } else {
      hasCode ??= codeLines(text, comments, lineStarts);
      const last = offsetToPos(lineStarts, Math.max(c.start, c.end - 1)).line;
      let target = last + 1;
      while (target <= lineStarts.length && !hasCode[target - 1]) target++;
      out.push({ ...parsed, span, targetLine: target <= lineStarts.length ? target : last + 1 });
    }
  }
  return out;
}

/**
 * A directive's identity for subject keys and fingerprints: its file, kind and rules, and
 * how many identical directives precede it — not its line, so it survives unrelated edits.
 */
export function directiveSubjectKey(file: string, directives: readonly Directive[], index: number): string {
  const d = directives[index]!;
  const sig = `${d.kind}:${d.rules.join(',')}`;
  let n = 0;
  for (let i = 0; i < index; i++) if (`${directives[i]!.kind}:${directives[i]!.rules.join(',')}` === sig) n++;
  return `${file}#suppression/${sig}${n > 0 ? `/${n + 1}` : ''}`;
}
