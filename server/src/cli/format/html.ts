// The HTML assessment: the Markdown report's content in one self-contained page (inline
// CSS and SVG, no scripts, no network), with two charts drawn as inline SVG: category
// scores and findings by severity, each with a table beside it for screen readers.
import type { ScanOutcome } from '../../engine/index';
import type { Severity, Status } from '../../engine/types';
import type { Rule } from '../../engine/rule';
import { buildAssessment, placeOf, PRIORITY_TITLES, STATUS_LABELS, type Assessment, type AssessmentOptions, type CategorySection, type Citation, type Gap, type Priority } from './assessment';
import { plural } from './common';
import { gapSentences, impactText, verdictCounts } from './markdown';

/** The page's Content-Security-Policy: nothing loads, only the inline stylesheet applies. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Doc links (http/https) and relative file links are rendered as links; any other scheme is not. */
function safeHref(url: string): string | undefined {
  if (/^https?:\/\//i.test(url)) return esc(url);
  if (!/^[a-z][a-z0-9+.-]*:/i.test(url) && !url.startsWith('//')) return esc(url);
  return undefined;
}

function link(url: string | undefined, inner: string): string {
  const h = url === undefined ? undefined : safeHref(url);
  return h ? `<a href="${h}">${inner}</a>` : inner;
}

function citation(c: Citation): string {
  const place = placeOf(c);
  return place ? `${link(c.href, `<code>${esc(place)}</code>`)} — ${esc(c.text)}` : esc(c.text);
}

function citationList(citations: readonly Citation[], more: number, noun: string): string {
  if (citations.length === 0 && more === 0) return '';
  const items = citations.map((c) => `<li>${citation(c)}</li>`);
  if (more > 0) items.push(`<li class="more">and ${more} more ${noun}${more === 1 ? '' : 's'}</li>`);
  return `<ul class="cite">${items.join('')}</ul>`;
}

const STATUS_CLASS: Readonly<Record<Status, string>> = { pass: 'st-pass', partial: 'st-partial', fail: 'st-fail', 'not-applicable': 'st-na' };
/** Marks from common text fonts: the Markdown's emoji need an emoji font, which printers and bare machines lack. */
export const STATUS_MARKS: Readonly<Record<Status, string>> = { pass: '✓', partial: '⚠', fail: '✗', 'not-applicable': '–' };

function badge(status: Status): string {
  return `<span class="badge ${STATUS_CLASS[status]}"><span aria-hidden="true">${STATUS_MARKS[status]}</span> ${STATUS_LABELS[status]}</span>`;
}

/** The score band a bar is coloured by (the colours live in the stylesheet, for dark mode). */
function band(score: number): string {
  if (score >= 90) return 'b-high';
  if (score >= 75) return 'b-good';
  if (score >= 50) return 'b-mid';
  return 'b-low';
}

export const CHART = { barWidth: 300, rowHeight: 28, labelWidth: 130 } as const;

/**
 * Horizontal bars, one per scored category, `barWidth × score / 100` wide; categories
 * without a score get an empty track and "n/a". Each bar carries its data as attributes.
 */
export function categoryChart(categories: readonly CategorySection[]): string {
  const { barWidth, rowHeight, labelWidth } = CHART;
  const width = labelWidth + barWidth + 60;
  const height = categories.length * rowHeight + 10;
  const rows = categories.map((c, i) => {
    const y = 5 + i * rowHeight;
    const label = `<text class="label" x="${labelWidth - 8}" y="${y + 18}" text-anchor="end">${esc(c.label)}</text>`;
    const track = `<rect class="track" x="${labelWidth}" y="${y + 4}" width="${barWidth}" height="${rowHeight - 10}" rx="3"/>`;
    if (c.score === null) return `${label}${track}<text class="value na" x="${labelWidth + barWidth + 8}" y="${y + 18}">n/a</text>`;
    const score = Math.max(0, Math.min(100, c.score));
    const w = (barWidth * score) / 100;
    const bar = `<rect class="bar ${band(score)}" data-category="${esc(c.category)}" data-score="${c.score}" x="${labelWidth}" y="${y + 4}" width="${w}" height="${rowHeight - 10}" rx="3"><title>${esc(c.label)}: ${c.score}/100</title></rect>`;
    return `${label}${track}${bar}<text class="value" x="${labelWidth + barWidth + 8}" y="${y + 18}">${c.score}</text>`;
  });
  const desc = categories.map((c) => `${c.label} ${c.score === null ? 'not scored' : `${c.score} of 100`}`).join('; ');
  return (
    `<svg class="chart" id="category-chart" xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="category-chart-title category-chart-desc" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<title id="category-chart-title">Category scores</title><desc id="category-chart-desc">${esc(desc)}.</desc>${rows.join('')}</svg>`
  );
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
const SEVERITY_LABELS: Readonly<Record<Severity, string>> = { error: 'Errors', warning: 'Warnings', info: 'Info' };

/** Horizontal bars for the unsuppressed findings by severity, lengths proportional to the counts. */
export function severityChart(counts: Readonly<Record<Severity, number>>): string {
  const { barWidth, rowHeight } = CHART;
  const labelWidth = 90;
  const width = labelWidth + barWidth + 60;
  const height = SEVERITIES.length * rowHeight + 10;
  const max = Math.max(0, ...SEVERITIES.map((s) => counts[s]));
  const rows = SEVERITIES.map((s, i) => {
    const y = 5 + i * rowHeight;
    const w = max > 0 ? Math.round(((barWidth * counts[s]) / max) * 100) / 100 : 0;
    return (
      `<text class="label" x="${labelWidth - 8}" y="${y + 18}" text-anchor="end">${SEVERITY_LABELS[s]}</text>` +
      `<rect class="track" x="${labelWidth}" y="${y + 4}" width="${barWidth}" height="${rowHeight - 10}" rx="3"/>` +
      `<rect class="sev sev-${s}" data-severity="${s}" data-count="${counts[s]}" x="${labelWidth}" y="${y + 4}" width="${w}" height="${rowHeight - 10}" rx="3"><title>${SEVERITY_LABELS[s]}: ${counts[s]}</title></rect>` +
      `<text class="value" x="${labelWidth + barWidth + 8}" y="${y + 18}">${counts[s]}</text>`
    );
  });
  const desc = SEVERITIES.map((s) => `${plural(counts[s], s === 'info' ? 'info finding' : s)}`).join(', ');
  return (
    `<svg class="chart" id="severity-chart" xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="severity-chart-title severity-chart-desc" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<title id="severity-chart-title">Findings by severity</title><desc id="severity-chart-desc">${esc(desc)}.</desc>${rows.join('')}</svg>`
  );
}

const LIGHT = `--fg: #1f2933; --bg: #ffffff; --muted: #52606d; --border: #d9e2ec; --code-bg: #f0f4f8; --track: #eceff1; --link: #0b5cad;
  --high: #2e7d32; --good: #689f38; --mid: #f9a825; --low: #c62828; --error: #c62828; --warning: #ef8f00; --info: #1e88e5;
  --pass-bg: #e8f5e9; --partial-bg: #fff4d6; --fail-bg: #ffebee; --na-bg: #eceff1; --pass-fg: #1b5e20; --partial-fg: #7a4f00; --fail-fg: #b71c1c;`;
const DARK = `--fg: #e4e7eb; --bg: #1e1e1e; --muted: #9aa5b1; --border: #3e4c59; --code-bg: #2d3748; --track: #323f4b; --link: #7cb7ff;
  --high: #66bb6a; --good: #9ccc65; --mid: #ffca28; --low: #ef5350; --error: #ef5350; --warning: #ffb74d; --info: #64b5f6;
  --pass-bg: #1b3a20; --partial-bg: #3d3310; --fail-bg: #4a1c1c; --na-bg: #323f4b; --pass-fg: #a5d6a7; --partial-fg: #ffe082; --fail-fg: #ef9a9a;`;

const STYLE = `
:root { color-scheme: light dark; ${LIGHT} }
@media (prefers-color-scheme: dark) { :root { ${DARK} } }
body.vscode-light { ${LIGHT} }
body.vscode-dark, body.vscode-high-contrast { ${DARK} }
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 64rem; margin: 2rem auto; padding: 0 1rem; color: var(--fg); background: var(--bg); line-height: 1.45; }
a { color: var(--link); }
h1 { font-size: 1.6rem; margin-bottom: .3rem; } h2 { margin-top: 2rem; border-bottom: 1px solid var(--border); padding-bottom: .2rem; } h3 { margin-top: 1.4rem; }
table { border-collapse: collapse; margin: .5rem 0; } th, td { border: 1px solid var(--border); padding: .25rem .6rem; text-align: left; }
td.num, th.num { text-align: right; } code { background: var(--code-bg); padding: 0 .2rem; border-radius: 3px; font-size: .92em; }
ul.checks { list-style: none; padding-left: 0; } ul.checks > li { margin: .5rem 0; } ul.cite { margin: .2rem 0 .2rem 1.6rem; font-size: .92rem; }
li.more { color: var(--muted); } .meta { color: var(--muted); margin-top: 0; }
.score { display: flex; align-items: baseline; gap: .8rem; margin: 1rem 0; } .score .value { font-size: 2.4rem; font-weight: 700; } .score .grade { font-size: 1.3rem; font-weight: 600; }
ol.gaps > li { margin: .7rem 0; } .effort { color: var(--muted); }
.badge { display: inline-block; min-width: 5.6rem; text-align: center; box-sizing: border-box; font-size: .8rem; font-weight: 600; padding: 0 .4rem; border-radius: 3px; white-space: nowrap; }
.st-pass { background: var(--pass-bg); color: var(--pass-fg); } .st-partial { background: var(--partial-bg); color: var(--partial-fg); } .st-fail { background: var(--fail-bg); color: var(--fail-fg); } .st-na { background: var(--na-bg); color: var(--muted); }
.charts { display: flex; flex-wrap: wrap; gap: 1.5rem 2.5rem; align-items: flex-start; } figure { margin: 0; } figcaption { font-weight: 600; margin-bottom: .3rem; }
svg.chart { max-width: 100%; height: auto; font-family: system-ui, sans-serif; font-size: 13px; }
svg .label, svg .value { fill: var(--fg); } svg .na { fill: var(--muted); } svg .track { fill: var(--track); }
svg .b-high { fill: var(--high); } svg .b-good { fill: var(--good); } svg .b-mid { fill: var(--mid); } svg .b-low { fill: var(--low); }
svg .sev-error { fill: var(--error); } svg .sev-warning { fill: var(--warning); } svg .sev-info { fill: var(--info); }
details.data { margin-top: .3rem; font-size: .9rem; } details.data summary { color: var(--muted); cursor: pointer; }
footer { margin-top: 2rem; color: var(--muted); font-size: .9rem; }
@media print {
  :root, body.vscode-dark, body.vscode-high-contrast { ${LIGHT} }
  body { max-width: none; margin: 0; font-size: 10.5pt; }
  a { color: inherit; text-decoration: none; }
  h2, h3 { break-after: avoid; } li, figure, tr { break-inside: avoid; }
  details.data > summary { display: none; } details.data { display: block; }
  .badge { border: 1px solid var(--border); }
}
`;

function gapItem(g: Gap): string {
  const s = gapSentences(g);
  const parts = [`<strong>${esc(g.title)}</strong> ${badge(g.status)} <span class="effort">${esc(g.categoryLabel)} · ${link(g.helpUri, `<code>${esc(g.ruleId)}</code>`)}</span><br>${esc(s.summary)}.`];
  if (s.findings) {
    const first = s.findings.first ? `: ${citation(s.findings.first)}` : '';
    const more = s.findings.first && s.findings.more > 0 ? ` (and ${s.findings.more} more)` : '';
    parts.push(`${esc(s.findings.counts)}${first}${more}.`);
  }
  if (s.goal) parts.push(`Passing means: ${esc(s.goal)}.`);
  parts.push(`<span class="effort">${esc(s.ranking.charAt(0).toUpperCase() + s.ranking.slice(1))}.</span>`);
  return `<li>${parts.join(' ')}</li>`;
}

export function renderHtml(a: Assessment): string {
  const out: string[] = [];
  out.push('<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">');
  out.push(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`);
  out.push('<meta name="viewport" content="width=device-width, initial-scale=1">', '<meta name="color-scheme" content="light dark">');
  out.push(`<title>${esc(a.title)}</title>`, `<style>${STYLE}</style>`, '</head>', '<body>', '<main>');
  out.push(`<h1>${esc(a.title)}</h1>`);
  out.push(`<p class="meta">Date: ${esc(a.date)} · Tool: ${esc(a.tool.name)} ${esc(a.tool.version)} · Roots: ${a.roots.map((r) => `<code>${esc(r)}</code>`).join(', ')}</p>`);

  out.push('<h2 id="summary">Executive summary</h2>');
  if (a.overall === null) out.push('<p class="score" id="overall-score"><span class="value">Overall score: Not assessed</span></p>');
  else out.push(`<p class="score" id="overall-score"><span class="value">Overall score: ${a.overall}/100</span> <span class="grade">${esc(a.grade)}</span></p>`, `<p>${esc(verdictCounts(a))}</p>`);
  if (a.gaps.length > 0) {
    out.push(`<h3>${a.gaps.length === 1 ? 'The most important gap' : `The ${a.gaps.length} most important gaps`}</h3>`, '<ol class="gaps">');
    for (const g of a.gaps) out.push(gapItem(g));
    out.push('</ol>');
  }
  out.push('<h3>Scan overview</h3>', '<ul>');
  for (const line of a.overview) out.push(`<li>${line.map((p) => (typeof p === 'string' ? esc(p) : `<code>${esc(p.code)}</code>`)).join('')}</li>`);
  if (a.services.length > 0) out.push(`<li>Services: ${a.services.map((s) => `${esc(s.name)} (${esc(s.kind)}, <code>${esc(s.root)}</code>)`).join(', ')}.</li>`);
  out.push('</ul>');

  out.push('<h2 id="scores">Category scores</h2>', '<div class="charts">');
  out.push(`<figure><figcaption>Score by category (of 100)</figcaption>${categoryChart(a.categories)}</figure>`);
  out.push(`<figure><figcaption>Findings by severity</figcaption>${severityChart(a.severities)}`);
  out.push('<details class="data"><summary>Findings by severity as a table</summary><table id="severity-table"><thead><tr><th>Severity</th><th class="num">Findings</th></tr></thead><tbody>');
  for (const s of SEVERITIES) out.push(`<tr><td>${SEVERITY_LABELS[s]}</td><td class="num">${a.severities[s]}</td></tr>`);
  out.push('</tbody></table></details></figure>', '</div>');
  out.push('<table id="category-table">', '<thead><tr><th>Category</th><th class="num">Score</th><th class="num">Weight</th><th class="num">Checks applicable</th><th class="num">Ready</th><th class="num">Partial</th><th class="num">Missing</th></tr></thead>', '<tbody>');
  for (const c of a.categories) {
    const n = (st: Status): number => c.lines.filter((l) => l.status === st).length;
    out.push(
      `<tr><td>${esc(c.label)}</td><td class="num">${c.score === null ? 'n/a' : `${c.score}/100`}</td><td class="num">${c.weight}</td><td class="num">${c.applicable} of ${c.checks}</td><td class="num">${n('pass')}</td><td class="num">${n('partial')}</td><td class="num">${n('fail')}</td></tr>`,
    );
  }
  out.push(`<tr><th>Overall</th><th class="num">${a.overall === null ? 'n/a' : `${a.overall}/100`}</th><td></td><td></td><td></td><td></td><td></td></tr>`, '</tbody>', '</table>');

  for (const c of a.categories) {
    if (c.checks === 0) continue;
    out.push(`<h2 id="category-${esc(c.category)}">${esc(c.label)} — ${c.score === null ? 'not applicable' : `${c.score}/100`}</h2>`, '<ul class="checks">');
    for (const l of c.lines) {
      const suppressed = l.suppressed > 0 ? ` (${l.suppressed} suppressed)` : '';
      out.push(`<li>${badge(l.status)} <strong>${esc(l.title)}</strong> (${link(l.helpUri, `<code>${esc(l.id)}</code>`)}) — ${esc(l.summary)}${suppressed}${citationList(l.citations, l.more, 'item')}</li>`);
    }
    out.push('</ul>');
  }

  out.push('<h2 id="plan">Action plan</h2>');
  if (a.plan.length === 0) out.push('<p>Nothing to do: no unsuppressed findings and no failing security check.</p>');
  for (const p of ['P0', 'P1', 'P2'] as Priority[]) {
    const items = a.plan.filter((i) => i.priority === p);
    if (items.length === 0) continue;
    out.push(`<h3>${esc(PRIORITY_TITLES[p])}</h3>`, `<ol class="plan" data-priority="${p}">`);
    for (const i of items) {
      const impact = impactText(i.impact);
      out.push(
        `<li><strong>${link(i.helpUri, esc(i.title))}</strong> (<code>${esc(i.ruleId)}</code>, ${esc(i.category)}) — ${esc(i.reason)}${impact ? `; ${esc(impact)}` : ''}.` +
          `<br><span class="effort">Effort: <strong>${esc(i.effort.label)}</strong> — ${esc(i.effort.basis)}.</span>${i.goal ? `<br>Goal: ${esc(i.goal)}.` : ''}${citationList(i.citations, i.more, 'finding')}</li>`,
      );
    }
    out.push('</ol>');
  }

  if (a.suppressed.length > 0) {
    out.push('<h2>Suppressed findings</h2>', '<table>', '<thead><tr><th>Rule</th><th>Location</th><th>Suppressed by</th><th>Reason</th></tr></thead>', '<tbody>');
    for (const s of a.suppressed) {
      out.push(`<tr><td>${link(s.helpUri, `<code>${esc(s.ruleId)}</code>`)}</td><td>${link(s.href, `<code>${esc(`${s.file}:${s.line}`)}</code>`)}</td><td>${esc(s.via)}</td><td>${s.reason !== undefined ? esc(s.reason) : '<em>no reason given</em>'}</td></tr>`);
    }
    out.push('</tbody>', '</table>');
  }
  if (a.errors.length > 0) out.push('<h2>Files that could not be parsed</h2>', citationList(a.errors, 0, 'error'));
  if (a.skipped.length > 0) {
    out.push('<h2>Skipped files</h2>', '<ul>');
    for (const s of a.skipped) out.push(`<li><code>${esc(s.file)}</code> — ${esc(s.reason)}</li>`);
    if (a.skippedMore > 0) out.push(`<li class="more">and ${a.skippedMore} more</li>`);
    out.push('</ul>');
  }
  if (a.notAnalysed.length > 0) {
    out.push('<h2>Not analysed</h2>', '<ul>');
    for (const [lang, n] of a.notAnalysed) out.push(`<li>${esc(lang)}: ${n} file${n === 1 ? '' : 's'}</li>`);
    out.push('</ul>');
  }
  out.push('</main>', `<footer>Generated by ${esc(a.tool.name)} ${esc(a.tool.version)} from the files in the scanned roots; each finding cites its file and line.</footer>`);
  out.push('</body>', '</html>', '');
  return out.join('\n');
}

export function formatHtml(outcome: ScanOutcome, rules: readonly Rule[], opts: AssessmentOptions): string {
  return renderHtml(buildAssessment(outcome, rules, opts));
}
