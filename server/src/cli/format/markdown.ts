// The Markdown assessment: title and date, score and grade, category table, per-category
// checklists with cited evidence, a prioritised action plan, and what was left out.
import type { ScanOutcome } from '../../engine/index';
import type { Rule } from '../../engine/rule';
import type { Severity, Status } from '../../engine/types';
import { buildAssessment, placeOf, PRIORITY_TITLES, STATUS_ICONS, STATUS_LABELS, type Assessment, type AssessmentOptions, type Citation, type Effort, type Gap, type Priority } from './assessment';
import { plural, SEVERITY_RANK } from './common';

/** Escapes text for Markdown prose: no markup, links or raw HTML can come from a message. */
export function mdText(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/[`*_[\]|#~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n/g, ' ')
    // A leading list marker or numbered-list start would open a list inside the line.
    .replace(/^([-+=])(?=\s|$)/, '\\$1')
    .replace(/^(\d+)([.)])(?=\s|$)/, '$1\\$2');
}

/** Inline code, falling back to escaped text when the value itself holds a backtick. */
export function mdCode(s: string): string {
  return s.includes('`') || /[\r\n]/.test(s) ? mdText(s) : `\`${s}\``;
}

/** Inline code in a table cell: GitHub splits cells on `|` even inside code spans. */
function mdCell(s: string): string {
  const code = mdCode(s);
  return code.startsWith('`') ? code.replace(/\|/g, '\\|') : code;
}

export function mdUrl(url: string): string {
  // encodeURIComponent leaves parentheses alone, and they would end the link.
  return url.replace(/[()\s<>]/g, (c) => (c === '(' ? '%28' : c === ')' ? '%29' : encodeURIComponent(c)));
}

/** `file:line` as inline code, linked to the file when the citation has a link. */
function placeLink(place: string, href: string | undefined): string {
  return href !== undefined ? `[${mdCode(place)}](${mdUrl(href)})` : mdCode(place);
}

function citation(c: Citation): string {
  const place = placeOf(c);
  return place ? `${placeLink(place, c.href)} — ${mdText(c.text)}` : mdText(c.text);
}

function severityCounts(counts: Record<Severity, number>): string {
  const parts: string[] = [];
  if (counts.error) parts.push(plural(counts.error, 'error'));
  if (counts.warning) parts.push(plural(counts.warning, 'warning'));
  if (counts.info) parts.push(`${counts.info} info`);
  return parts.join(', ');
}

/**
 * One gap as sentences, each read off the check or its findings: the verdict and summary,
 * the findings with the first one cited, what passing means, and how it was ranked.
 */
export function gapSentences(g: Gap): { verdict: string; summary: string; findings?: { counts: string; first?: Citation; more: number }; goal?: string; ranking: string } {
  const total = g.counts.error + g.counts.warning + g.counts.info;
  const subjects = Math.max(1, g.failing);
  return {
    verdict: `${g.categoryLabel}, ${STATUS_LABELS[g.status]}`,
    summary: g.summary,
    ...(total > 0 || g.citations.length > 0 ? { findings: { counts: total > 0 ? plural(total, 'finding') + ` (${severityCounts(g.counts)})` : 'Evidence', ...(g.citations[0] ? { first: g.citations[0] } : {}), more: total > 0 ? total - 1 : g.citations.length - 1 + g.more } } : {}),
    ...(g.goal ? { goal: g.goal } : {}),
    ranking: `ranked by category weight ${g.categoryWeight} × rule weight ${g.ruleWeight} × severity ${g.severity} (${SEVERITY_RANK[g.severity]}) × ${plural(subjects, 'failing subject')} = ${g.importance}${g.priority ? `; ${g.priority} in the action plan` : ''}`,
  };
}

function gapParagraph(g: Gap): string {
  const s = gapSentences(g);
  const out = [`**${mdText(g.title)}** — ${mdText(s.verdict)} ([${mdCode(g.ruleId)}](${mdUrl(g.helpUri)})). ${mdText(s.summary)}.`];
  if (s.findings) {
    const first = s.findings.first ? `: ${citation(s.findings.first)}` : '';
    const more = s.findings.first && s.findings.more > 0 ? ` (and ${s.findings.more} more)` : '';
    out.push(`${mdText(s.findings.counts)}${first}${more}.`);
  }
  if (s.goal) out.push(`Passing means: ${mdText(s.goal)}.`);
  out.push(`${mdText(s.ranking.charAt(0).toUpperCase() + s.ranking.slice(1))}.`);
  return out.join(' ');
}

export function effortText(e: Effort): string {
  return `${e.label} — ${e.basis}`;
}

function citationList(citations: readonly Citation[], more: number, indent: string, noun: string): string[] {
  const out = citations.map((c) => `${indent}- ${citation(c)}`);
  if (more > 0) out.push(`${indent}- and ${more} more ${noun}${more === 1 ? '' : 's'}`);
  return out;
}

export function impactText(impact: number | null): string | undefined {
  if (impact === null || impact < 0.05) return undefined;
  return `+${impact.toFixed(1)} points overall when the check passes`;
}

/** "27 applicable checks: 3 ready, 18 partial, 6 missing." */
export function verdictCounts(a: Assessment): string {
  const lines = a.categories.flatMap((c) => c.lines);
  const n = (st: Status): number => lines.filter((l) => l.status === st).length;
  const applicable = lines.length - n('not-applicable');
  return `${plural(applicable, 'applicable check')}: ${n('pass')} ${STATUS_LABELS.pass.toLowerCase()}, ${n('partial')} ${STATUS_LABELS.partial.toLowerCase()}, ${n('fail')} ${STATUS_LABELS.fail.toLowerCase()}.`;
}

export function renderMarkdown(a: Assessment): string {
  const out: string[] = [];
  out.push(`# ${mdText(a.title)}`, '');
  out.push(`**Date:** ${a.date}  `);
  out.push(`**Tool:** ${mdText(a.tool.name)} ${mdText(a.tool.version)}  `);
  out.push(`**Roots:** ${a.roots.map(mdCode).join(', ')}  `);
  out.push(a.overall === null ? '**Overall score:** Not assessed' : `**Overall score:** ${a.overall}/100 — ${mdText(a.grade)}`, '');

  out.push('## Executive summary', '');
  out.push(a.overall === null ? 'Overall score: **not assessed**.' : `Overall score **${a.overall}/100**, grade **${mdText(a.grade)}**. ${mdText(verdictCounts(a))}`, '');
  if (a.gaps.length > 0) {
    out.push(`### ${a.gaps.length === 1 ? 'The most important gap' : `The ${a.gaps.length} most important gaps`}`, '');
    a.gaps.forEach((g, n) => out.push(`${n + 1}. ${gapParagraph(g)}`, ''));
  }
  out.push('### Scan overview', '');
  for (const line of a.overview) out.push(`- ${line.map((part) => (typeof part === 'string' ? mdText(part) : mdCode(part.code))).join('')}`);
  if (a.services.length > 0) {
    out.push(`- Services: ${a.services.map((s) => `${mdText(s.name)} (${mdText(s.kind)}, ${mdCode(s.root)})`).join(', ')}.`);
  }
  out.push('');

  out.push('## Category scores', '');
  out.push('| Category | Score | Weight | Checks applicable | Ready | Partial | Missing |');
  out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const c of a.categories) {
    const n = (st: Status): number => c.lines.filter((l) => l.status === st).length;
    out.push(`| ${c.label} | ${c.score === null ? 'n/a' : `${c.score}/100`} | ${c.weight} | ${c.applicable} of ${c.checks} | ${n('pass')} | ${n('partial')} | ${n('fail')} |`);
  }
  out.push(`| **Overall** | **${a.overall === null ? 'n/a' : `${a.overall}/100`}** | | | | | |`, '');

  for (const c of a.categories) {
    if (c.checks === 0) continue;
    out.push(`## ${c.label} — ${c.score === null ? 'not applicable' : `${c.score}/100`}`, '');
    for (const l of c.lines) {
      const suppressed = l.suppressed > 0 ? ` (${l.suppressed} suppressed)` : '';
      out.push(`- ${STATUS_ICONS[l.status]} ${STATUS_LABELS[l.status]} · **${mdText(l.title)}** ([${mdCode(l.id)}](${mdUrl(l.helpUri)})) — ${mdText(l.summary)}${suppressed}`);
      out.push(...citationList(l.citations, l.more, '  ', 'item'));
    }
    out.push('');
  }

  out.push('## Action plan', '');
  if (a.plan.length === 0) {
    out.push('Nothing to do: no unsuppressed findings and no failing security check.', '');
  } else {
    for (const p of ['P0', 'P1', 'P2'] as Priority[]) {
      const items = a.plan.filter((i) => i.priority === p);
      if (items.length === 0) continue;
      out.push(`### ${PRIORITY_TITLES[p]}`, '');
      items.forEach((i, n) => {
        const impact = impactText(i.impact);
        // Continuation lines indent to the item's text, or they would leave the list item ("10. " is 4 wide).
        const indent = ' '.repeat(String(n + 1).length + 2);
        out.push(`${n + 1}. **[${mdText(i.title)}](${mdUrl(i.helpUri)})** (${mdCode(i.ruleId)}, ${i.category}) — ${mdText(i.reason)}${impact ? `; ${impact}` : ''}.  `);
        out.push(`${indent}Effort: ${mdText(effortText(i.effort))}.${i.goal ? '  ' : ''}`);
        if (i.goal) out.push(`${indent}Goal: ${mdText(i.goal)}.`);
        out.push(...citationList(i.citations, i.more, indent, 'finding'));
      });
      out.push('');
    }
  }

  if (a.suppressed.length > 0) {
    out.push('## Suppressed findings', '');
    out.push('| Rule | Location | Suppressed by | Reason |');
    out.push('| --- | --- | --- | --- |');
    for (const s of a.suppressed) {
      const place = s.href !== undefined ? `[${mdCell(`${s.file}:${s.line}`)}](${mdUrl(s.href)})` : mdCell(`${s.file}:${s.line}`);
      out.push(`| [${mdCode(s.ruleId)}](${mdUrl(s.helpUri)}) | ${place} | ${s.via} | ${s.reason !== undefined ? mdText(s.reason) : '_no reason given_'} |`);
    }
    out.push('');
  }
  if (a.errors.length > 0) {
    out.push('## Files that could not be parsed', '');
    out.push(...citationList(a.errors, 0, '', 'error'), '');
  }
  if (a.skipped.length > 0) {
    out.push('## Skipped files', '');
    for (const s of a.skipped) out.push(`- ${mdCode(s.file)} — ${mdText(s.reason)}`);
    if (a.skippedMore > 0) out.push(`- and ${a.skippedMore} more`);
    out.push('');
  }
  if (a.notAnalysed.length > 0) {
    out.push('## Not analysed', '');
    for (const [lang, n] of a.notAnalysed) out.push(`- ${mdText(lang)}: ${n} file${n === 1 ? '' : 's'}`);
    out.push('');
  }
  out.push('---', '', `Generated by ${mdText(a.tool.name)} ${mdText(a.tool.version)} from the files in the scanned roots; each finding cites its file and line.`, '');
  return out.join('\n');
}

export function formatMarkdown(outcome: ScanOutcome, rules: readonly Rule[], opts: AssessmentOptions): string {
  return renderMarkdown(buildAssessment(outcome, rules, opts));
}
