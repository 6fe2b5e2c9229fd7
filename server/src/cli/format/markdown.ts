// The Markdown assessment: title and date, score and grade, category table, per-category
// checklists with cited evidence, a prioritised action plan, and what was left out.
import type { ScanOutcome } from '../../engine/index';
import type { Rule } from '../../engine/rule';
import { buildAssessment, placeOf, PRIORITY_TITLES, STATUS_ICONS, type Assessment, type AssessmentOptions, type Citation, type Priority } from './assessment';

/** Escapes text for Markdown prose: no markup, links or raw HTML can come from a message. */
export function mdText(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/[`*_[\]|#~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n/g, ' ');
}

/** Inline code, falling back to escaped text when the value itself holds a backtick. */
export function mdCode(s: string): string {
  return s.includes('`') || /[\r\n]/.test(s) ? mdText(s) : `\`${s}\``;
}

function mdUrl(url: string): string {
  return url.replace(/[()\s<>]/g, (c) => encodeURIComponent(c));
}

function citation(c: Citation): string {
  const place = placeOf(c);
  return place ? `${mdCode(place)} — ${mdText(c.text)}` : mdText(c.text);
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

export function renderMarkdown(a: Assessment): string {
  const out: string[] = [];
  out.push(`# ${mdText(a.title)}`, '');
  out.push(`**Date:** ${a.date}  `);
  out.push(`**Tool:** ${mdText(a.tool.name)} ${mdText(a.tool.version)}  `);
  out.push(`**Roots:** ${a.roots.map(mdCode).join(', ')}  `);
  out.push(a.overall === null ? '**Overall score:** Not assessed' : `**Overall score:** ${a.overall}/100 — ${mdText(a.grade)}`, '');

  out.push('## Summary', '');
  for (const line of a.overview) out.push(`- ${line.map((part) => (typeof part === 'string' ? mdText(part) : mdCode(part.code))).join('')}`);
  if (a.services.length > 0) {
    out.push(`- Services: ${a.services.map((s) => `${mdText(s.name)} (${mdText(s.kind)}, ${mdCode(s.root)})`).join(', ')}.`);
  }
  out.push('');

  out.push('## Category scores', '');
  out.push('| Category | Score | Weight | Checks applicable |');
  out.push('| --- | ---: | ---: | ---: |');
  for (const c of a.categories) {
    out.push(`| ${c.label} | ${c.score === null ? 'n/a' : `${c.score}/100`} | ${c.weight} | ${c.applicable} of ${c.checks} |`);
  }
  out.push(`| **Overall** | **${a.overall === null ? 'n/a' : `${a.overall}/100`}** | | |`, '');

  for (const c of a.categories) {
    if (c.checks === 0) continue;
    out.push(`## ${c.label} — ${c.score === null ? 'not applicable' : `${c.score}/100`}`, '');
    for (const l of c.lines) {
      const suppressed = l.suppressed > 0 ? ` (${l.suppressed} suppressed)` : '';
      out.push(`- ${STATUS_ICONS[l.status]} **${mdText(l.title)}** ([${mdCode(l.id)}](${mdUrl(l.helpUri)})) — ${mdText(l.summary)}${suppressed}`);
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
        out.push(`${n + 1}. **[${mdText(i.title)}](${mdUrl(i.helpUri)})** (${mdCode(i.ruleId)}, ${i.category}) — ${mdText(i.reason)}${impact ? `; ${impact}` : ''}.`);
        if (i.goal) out.push(`   Goal: ${mdText(i.goal)}.`);
        out.push(...citationList(i.citations, i.more, '   ', 'finding'));
      });
      out.push('');
    }
  }

  if (a.suppressed.length > 0) {
    out.push('## Suppressed findings', '');
    out.push('| Rule | Location | Suppressed by | Reason |');
    out.push('| --- | --- | --- | --- |');
    for (const s of a.suppressed) {
      out.push(`| [${mdCode(s.ruleId)}](${mdUrl(s.helpUri)}) | ${mdCode(`${s.file}:${s.line}`)} | ${s.via} | ${s.reason !== undefined ? mdText(s.reason) : '_no reason given_'} |`);
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
