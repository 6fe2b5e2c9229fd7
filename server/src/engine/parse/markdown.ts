// Markdown → plain facts for the documentation rules: headings and fenced/indented code
// blocks with their spans, and how much prose there is. Parsed with markdown-it (CommonMark),
// whose block tokens carry line maps; spans are derived from those lines.
//
// Only files that documentation rules read are parsed (`wantsMarkdownFacts`: READMEs,
// SECURITY, RUNBOOK/OPERATIONS/DEPLOY(MENT) files, and Markdown under docs/ or runbooks/).
// reStructuredText and plain-text READMEs get the same facts from a line scan (rst section
// underlines, `.. code-block::` directives, `$ ` prompt lines).
//
// Shape (spans are half-open UTF-16 offsets into the file's text):
//
//   MarkdownFacts
//     headings[]   { depth (1–6), text (inline markup as written, trimmed), span (the heading's first line) }
//     code[]       { lang ('' when none), firstLine (first non-empty line of the content), span (the block) }
//     paragraphs   number of paragraphs and list items (prose beyond headings)
import type MarkdownIt from 'markdown-it';
import type { ParseError, Span } from '../types';

export interface MarkdownHeading {
  depth: number;
  text: string;
  span: Span;
}

export interface MarkdownCode {
  lang: string;
  firstLine: string;
  span: Span;
}

export interface MarkdownFacts {
  headings: MarkdownHeading[];
  code: MarkdownCode[];
  paragraphs: number;
}

const MAX_HEADINGS = 500;
const MAX_CODE = 300;
/** Larger documents are not parsed (no README is this long). */
const MAX_LENGTH = 2_000_000;

const DOC_NAME = /^(readme|security|runbook|runbooks|operations|ops|deploy|deployment|deploying|oncall|on-call|troubleshooting)([._-][\w.-]*)?$/i;

/** True for the documents the documentation rules read (a cheap name filter, before any parsing). */
export function wantsMarkdownFacts(relPath: string): boolean {
  const name = relPath.slice(relPath.lastIndexOf('/') + 1);
  const lower = relPath.toLowerCase();
  const markdown = /\.(md|markdown)$/i.test(name);
  if (DOC_NAME.test(name) && (markdown || /\.(rst|txt)$/i.test(name) || !name.includes('.'))) return true;
  return markdown && (lower.startsWith('docs/') || lower.includes('/docs/') || lower.startsWith('runbooks/') || lower.includes('/runbooks/'));
}

let md: MarkdownIt | undefined;

function lineSpan(text: string, lineStarts: readonly number[], line: number): Span {
  const start = lineStarts[line] ?? text.length;
  let end = line + 1 < lineStarts.length ? lineStarts[line + 1]! - 1 : text.length;
  if (end > start && text[end - 1] === '\r') end--;
  return { start, end: Math.max(start, end) };
}

function firstNonEmpty(content: string): string {
  for (const line of content.split('\n')) if (line.trim()) return line.trim().slice(0, 200);
  return '';
}

function markdownFacts(text: string, lineStarts: readonly number[]): MarkdownFacts {
  // Loaded on first use: most scans read a handful of documents, and the CLI starts faster without it.
  if (!md) {
    const Ctor = require('markdown-it') as typeof MarkdownIt;
    md = new Ctor('commonmark');
  }
  const tokens = md.parse(text, {});
  const facts: MarkdownFacts = { headings: [], code: [], paragraphs: 0 };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'heading_open' && t.map && facts.headings.length < MAX_HEADINGS) {
      const inline = tokens[i + 1];
      facts.headings.push({ depth: Number(t.tag.slice(1)) || 1, text: (inline?.content ?? '').trim(), span: lineSpan(text, lineStarts, t.map[0]) });
    } else if ((t.type === 'fence' || t.type === 'code_block') && t.map && facts.code.length < MAX_CODE) {
      const start = lineSpan(text, lineStarts, t.map[0]).start;
      const end = lineSpan(text, lineStarts, Math.max(t.map[0], t.map[1] - 1)).end;
      facts.code.push({ lang: t.type === 'fence' ? (t.info.trim().split(/\s+/)[0] ?? '') : '', firstLine: firstNonEmpty(t.content), span: { start, end } });
    } else if ((t.type === 'paragraph_open' && !t.hidden) || t.type === 'list_item_open') {
      facts.paragraphs++;
    }
  }
  return facts;
}

const RST_UNDERLINE = /^([=\-~^"'`#*+:.])\1{2,}\s*$/;
const RST_CODE = /^\.\.\s+(?:code-block|code|sourcecode)::\s*(\S*)/;

/** reStructuredText and plain text: section titles by underline, code directives, `$ ` prompts. */
function plainFacts(text: string, lineStarts: readonly number[]): MarkdownFacts {
  const facts: MarkdownFacts = { headings: [], code: [], paragraphs: 0 };
  const lines = text.split('\n');
  let inParagraph = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    const next = (lines[i + 1] ?? '').replace(/\r$/, '');
    if (line.trim() && RST_UNDERLINE.test(next) && next.trim().length >= line.trim().length && facts.headings.length < MAX_HEADINGS) {
      facts.headings.push({ depth: 1, text: line.trim(), span: lineSpan(text, lineStarts, i) });
      i++;
      inParagraph = false;
      continue;
    }
    const code = RST_CODE.exec(line);
    if (code && facts.code.length < MAX_CODE) {
      let j = i + 1;
      while (j < lines.length && (lines[j]!.trim() === '' || /^\s/.test(lines[j]!))) j++;
      const body = lines.slice(i + 1, j).join('\n');
      facts.code.push({ lang: code[1] ?? '', firstLine: firstNonEmpty(body), span: { start: lineStarts[i]!, end: lineSpan(text, lineStarts, Math.max(i, j - 1)).end } });
      i = j - 1;
      inParagraph = false;
      continue;
    }
    const prompt = /^\s*\$\s+(\S.*)$/.exec(line);
    if (prompt && facts.code.length < MAX_CODE) {
      facts.code.push({ lang: 'console', firstLine: prompt[1]!.trim().slice(0, 200), span: lineSpan(text, lineStarts, i) });
      continue;
    }
    if (line.trim() === '') inParagraph = false;
    else if (!inParagraph) {
      inParagraph = true;
      facts.paragraphs++;
    }
  }
  return facts;
}

/** Facts of a documentation file; a file that cannot be read yields an error entry, never a throw. */
export function documentFacts(relPath: string, text: string, lineStarts: readonly number[]): { facts?: MarkdownFacts; errors: ParseError[] } {
  if (text.length > MAX_LENGTH) return { errors: [{ message: `Markdown: longer than ${MAX_LENGTH} characters; not read` }] };
  try {
    return { facts: /\.(md|markdown)$/i.test(relPath) ? markdownFacts(text, lineStarts) : plainFacts(text, lineStarts), errors: [] };
  } catch (e) {
    return { errors: [{ message: `Markdown: ${e instanceof Error ? e.message : String(e)}` }] };
  }
}
